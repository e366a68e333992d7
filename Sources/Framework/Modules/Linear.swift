/// A fully connected layer, `nn.Linear`: weight [out, in], bias [out].
public final class Linear: Module, Layer {
    public let weight: Tensor
    public let bias: Tensor?

    /// PyTorch's default initialisation: U(−1/√in, 1/√in) for weight and bias.
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, rng: inout RandomGenerator) {
        let bound = 1 / Float(inFeatures).squareRoot()
        weight = try! Tensor.uniform([outFeatures, inFeatures], low: -bound, high: bound, using: &rng)
        weight.requiresGrad = true
        if bias {
            let b = try! Tensor.uniform([outFeatures], low: -bound, high: bound, using: &rng)
            b.requiresGrad = true
            self.bias = b
        } else {
            self.bias = nil
        }
        super.init()
    }

    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.linear(weight: weight, bias: bias)
    }
}
