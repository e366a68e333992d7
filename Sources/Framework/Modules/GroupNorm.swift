/// Group normalisation, `nn.GroupNorm(groups, C)`.
public final class GroupNorm: Module, Layer {
    public let weight: Tensor
    public let bias: Tensor
    public let groups: Int
    public let eps: Float

    public init(groups: Int, channels: Int, eps: Float = 1e-5) {
        precondition(channels % groups == 0, "GroupNorm: \(groups) groups must divide \(channels) channels")
        weight = try! Tensor.ones([channels]); weight.requiresGrad = true
        bias = try! Tensor.zeros([channels]); bias.requiresGrad = true
        self.groups = groups
        self.eps = eps
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.groupNorm(groups: groups, weight: weight, bias: bias, eps: eps)
    }
}
