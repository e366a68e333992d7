/// Labels galaxies in a seeded random order: the baseline every other method must beat.
public struct RandomAcquisition: Acquisition {
    public var seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// Uniform scores from a generator seeded by `seed` and the pool size (the same pool gets
    /// the same scores).
    public func scores(_ input: AcquisitionInput) throws -> [Double] {
        var rng = RandomGenerator(seed: seed, stream: UInt64(input.poolCount))
        return (0..<input.poolCount).map { _ in rng.uniformDouble() }
    }

    /// A uniform random `k`-subset drawn from the caller's generator, so successive rounds
    /// differ while a run stays reproducible.
    public func select(k: Int, from input: AcquisitionInput, rng: inout RandomGenerator) throws -> [Int] {
        var order = Array(0..<input.poolCount)
        let take = min(max(0, k), order.count)
        for i in 0..<take {
            let j = i + Int(rng.next() % UInt64(order.count - i))
            order.swapAt(i, j)
        }
        return Array(order.prefix(take))
    }
}

/// The registry entry for `acquisition: {kind: random}`.
public enum RandomAcquisitionComponent: AcquisitionComponent {
    public static let kind = "random"
    public static let summary = "Uniform random choice (seeded): the baseline"

    public struct Options: ComponentOptions {
        /// Added to the experiment seed.
        public var seedOffset: UInt64 = 0
        public init() {}
        enum CodingKeys: String, CodingKey { case seedOffset = "seed_offset" }
    }

    public static func make(options: Options, context: ComponentContext) throws -> any Acquisition {
        RandomAcquisition(seed: context.seed &+ options.seedOffset)
    }
}
