import Foundation

extension Tensor {
    /// x·tanh(softplus(x)), the smooth activation of Misra (2019) that zoobot-3d's U-Net
    /// uses (PyTorch's `nn.Mish`). One pass forward and one backward, instead of the three
    /// ops it is made of.
    public func mish() -> Tensor {
        pointwise { x in x * Foundation.tanh(ScalarActivation.softplus(x)) }.recorded("mish", [self]) { g, _ in
            // d/dx = tanh(sp(x)) + x·(1 − tanh²(sp(x)))·σ(x).
            [Tensor.pointwise(g, self) { g, x in
                let t = Foundation.tanh(ScalarActivation.softplus(x))
                return g * (t + x * (1 - t * t) * ScalarActivation.sigmoid(x))
            }]
        }
    }
}
