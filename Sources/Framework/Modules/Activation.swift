/// An element-wise activation as a layer (no parameters), for use in `Sequential`.
public final class Activation: Module, Layer {
    /// The supported functions, named as in YAML configs.
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case relu, silu, gelu, sigmoid, tanh, leakyRelu = "leaky_relu", softplus, identity
    }

    public let kind: Kind

    public init(_ kind: Kind) {
        self.kind = kind
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try kind.apply(x)
    }
}

extension Activation.Kind {
    /// This function applied to `x`.
    public func apply(_ x: Tensor) throws -> Tensor {
        switch self {
        case .relu: return x.relu()
        case .silu: return x.silu()
        case .gelu: return x.gelu()
        case .sigmoid: return x.sigmoid()
        case .tanh: return x.tanh()
        case .leakyRelu: return x.leakyRelu()
        case .softplus: return x.softplus()
        case .identity: return x
        }
    }
}
