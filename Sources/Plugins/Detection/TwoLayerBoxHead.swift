import Framework

/// The box head, as torchvision's `TwoMLPHead`: pooled features flattened, then two fully
/// connected layers with ReLU (`fc6`, `fc7`).
public final class TwoLayerBoxHead: Module, Layer {
    public let fc6: Linear
    public let fc7: Linear

    public init(inputs: Int, representation: Int, rng: inout RandomGenerator) {
        fc6 = Linear(inputs, representation, rng: &rng)
        fc7 = Linear(representation, representation, rng: &rng)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try fc7(fc6(x.flattened(from: 1)).relu()).relu()
    }
}
