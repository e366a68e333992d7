/// Stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay,
/// following `torch.optim.SGD` exactly (the first step seeds the momentum buffer with the
/// gradient).
public final class SGD: Optimizer {
    public var momentum: Float
    public var dampening: Float
    public var nesterov: Bool

    public init(groups: [ParameterGroup], momentum: Float = 0, dampening: Float = 0, nesterov: Bool = false) {
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        super.init(groups: groups)
    }

    public convenience init(parameters: [Tensor], learningRate: Float, momentum: Float = 0,
                            weightDecay: Float = 0, nesterov: Bool = false) {
        self.init(groups: [ParameterGroup(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)],
                  momentum: momentum, nesterov: nesterov)
    }

    override public func update(_ p: Tensor, grad: [Float], lr: Float, weightDecay: Float, slots: inout [String: [Float]]) {
        let n = p.count
        if n == 0 { return }
        let mu = momentum, damp = dampening, nest = nesterov, wd = weightDecay
        // Taken out of the dictionary, so that writing it does not copy it (copy-on-write: a
        // copy of every momentum buffer on every step, 45 MB for ResNet-18).
        var buf = slots.removeValue(forKey: "momentum") ?? []
        let first = buf.isEmpty
        if mu != 0 && first { buf = [Float](repeating: 0, count: n) }
        p.storage.withUnsafeMutableBufferPointer { w in
            grad.withUnsafeBufferPointer { g in
                buf.withUnsafeMutableBufferPointer { b in
                    let w = w.baseAddress!, g = g.baseAddress!, b = b.baseAddress
                    // Element by element, so any split among threads gives the same bits.
                    Parallel.chunks(n, minChunk: 1 << 16) { start, end in
                        for i in start..<end {
                            var d = g[i] + wd * w[i]
                            if mu != 0, let b {
                                b[i] = first ? d : mu * b[i] + (1 - damp) * d
                                d = nest ? d + mu * b[i] : b[i]
                            }
                            w[i] -= lr * d
                        }
                    }
                }
            }
        }
        if mu != 0 { slots["momentum"] = buf }
    }
}
