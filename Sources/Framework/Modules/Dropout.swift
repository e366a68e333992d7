/// Dropout, `nn.Dropout(p)`: active in train mode, or always when `alwaysOn` is set for
/// Monte-Carlo dropout (uncertainty from repeated stochastic passes at prediction time).
public final class Dropout: Module, Layer {
    public let probability: Float
    /// Keep dropping in eval mode (MC dropout).
    public var alwaysOn = false
    private var rng: RandomGenerator

    public init(_ probability: Float, seed: UInt64 = 0) {
        precondition(probability >= 0 && probability < 1, "Dropout: probability \(probability) must be in [0, 1)")
        self.probability = probability
        self.rng = RandomGenerator(seed: seed)
        super.init()
    }

    /// Reseeds the mask stream, so MC passes are reproducible.
    public func reseed(_ seed: UInt64) { rng = RandomGenerator(seed: seed) }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard (training || alwaysOn) && probability > 0 else { return x }
        return x.dropout(probability: probability, rng: &rng)
    }
}

extension Module {
    /// Reseeds every Dropout layer's mask stream from `seed` (each layer its own stream), so
    /// that masks depend only on (seed, position) — e.g. on the epoch, for exact resumes.
    public func reseedDropout(_ seed: UInt64) {
        for (i, (_, m)) in namedModules().enumerated() {
            (m as? Dropout)?.reseed(seed &+ UInt64(i) &* 0x9E37_79B9)
        }
    }

    /// Turns Monte-Carlo dropout on or off for every Dropout layer in the tree, reseeding
    /// each from `seed` so that MC passes are reproducible.
    public func setMCDropout(_ on: Bool, seed: UInt64 = 0) {
        for (i, (_, m)) in namedModules().enumerated() {
            guard let d = m as? Dropout else { continue }
            d.alwaysOn = on
            d.reseed(seed &+ UInt64(i))
        }
    }
}
