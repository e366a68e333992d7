/// A transposed convolution layer, `nn.ConvTranspose2d`: weight [in, out/groups, kh, kw].
public final class ConvTranspose2d: Module, Layer {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: (Int, Int)
    public let padding: (Int, Int)
    public let outputPadding: (Int, Int)
    public let dilation: (Int, Int)
    public let groups: Int

    /// PyTorch's default: U(−1/√fan, 1/√fan) with fan = (out/groups)·kh·kw as computed on
    /// the transposed weight.
    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                outputPadding: Int = 0, dilation: Int = 1, groups: Int = 1, bias: Bool = true,
                rng: inout RandomGenerator) {
        let fan = Float(outChannels / groups * kernel * kernel)
        let bound = 1 / fan.squareRoot()
        weight = try! Tensor.uniform([inChannels, outChannels / groups, kernel, kernel], low: -bound, high: bound, using: &rng)
        weight.requiresGrad = true
        if bias {
            let b = try! Tensor.uniform([outChannels], low: -bound, high: bound, using: &rng)
            b.requiresGrad = true
            self.bias = b
        } else {
            self.bias = nil
        }
        self.stride = (stride, stride)
        self.padding = (padding, padding)
        self.outputPadding = (outputPadding, outputPadding)
        self.dilation = (dilation, dilation)
        self.groups = groups
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.convTranspose2d(weight: weight, bias: bias, stride: stride, padding: padding,
                              outputPadding: outputPadding, dilation: dilation, groups: groups)
    }
}
