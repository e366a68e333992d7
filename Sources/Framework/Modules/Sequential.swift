/// Layers applied in order; keys are the positions (`0.weight`, `1.running_mean`), as
/// `nn.Sequential`.
public final class Sequential: Module, Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) {
        self.layers = layers
        super.init()
    }

    public convenience init(_ layers: any Layer...) { self.init(layers) }

    override public func children() -> [(key: String, module: Module)] {
        layers.enumerated().map { ("\($0.offset)", $0.element as Module) }
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        var y = x
        var i = 0
        while i < layers.count {
            // Conv → BatchNorm (→ activation) runs as one fused layer (folded at inference).
            if let conv = layers[i] as? Conv2d, i + 1 < layers.count, let bn = layers[i + 1] as? BatchNorm2d {
                let activation = i + 2 < layers.count ? layers[i + 2] as? Activation : nil
                y = try conv(y, batchNorm: bn, activation: activation?.kind ?? .identity)
                i += activation == nil ? 2 : 3
                continue
            }
            y = try layers[i](y)
            i += 1
        }
        return y
    }
}
