/// Layer normalisation over the last axis, `nn.LayerNorm(C)`; with `channelsFirst` it
/// normalises the channel axis of an NCHW map at each pixel (timm's `LayerNorm2d`, as
/// ConvNeXt uses).
public final class LayerNorm: Module, Layer {
    public let weight: Tensor
    public let bias: Tensor
    public let eps: Float
    public let channelsFirst: Bool

    public init(_ features: Int, eps: Float = 1e-6, channelsFirst: Bool = false) {
        weight = try! Tensor.ones([features]); weight.requiresGrad = true
        bias = try! Tensor.zeros([features]); bias.requiresGrad = true
        self.eps = eps
        self.channelsFirst = channelsFirst
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        channelsFirst ? try x.layerNorm2d(weight: weight, bias: bias, eps: eps)
                      : try x.layerNorm(weight: weight, bias: bias, eps: eps)
    }
}
