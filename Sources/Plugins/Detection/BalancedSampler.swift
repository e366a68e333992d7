import Framework

/// Draws a fixed number of training boxes per image with at most a given share of positives,
/// as torchvision's `BalancedPositiveNegativeSampler`: up to `batchSize × positiveFraction`
/// positives (label ≥ 1), the rest of `batchSize` from the negatives (label 0); boxes labelled
/// −1 are never drawn. Fewer boxes are drawn when an image has too few.
public struct BalancedSampler: Equatable, Sendable {
    public var batchSize: Int
    public var positiveFraction: Float

    public init(batchSize: Int, positiveFraction: Float) {
        self.batchSize = batchSize
        self.positiveFraction = positiveFraction
    }

    /// Indices of the drawn positives and negatives, each ascending.
    public func sample(_ labels: [Int], using rng: inout RandomGenerator) -> (positives: [Int], negatives: [Int]) {
        let positives = labels.indices.filter { labels[$0] >= 1 }
        let negatives = labels.indices.filter { labels[$0] == 0 }
        let wantedPositives = min(Int(Float(batchSize) * positiveFraction), positives.count)
        let wantedNegatives = min(batchSize - wantedPositives, negatives.count)
        return (Self.choose(wantedPositives, from: positives, using: &rng),
                Self.choose(wantedNegatives, from: negatives, using: &rng))
    }

    /// `k` distinct elements of `pool`, uniformly, returned in ascending order.
    static func choose(_ k: Int, from pool: [Int], using rng: inout RandomGenerator) -> [Int] {
        guard k < pool.count else { return pool }
        // A partial Fisher–Yates shuffle: the first k slots are a uniform draw.
        var a = pool
        for i in 0..<k { a.swapAt(i, i + rng.uniformIndex(below: a.count - i)) }
        return a[..<k].sorted()
    }
}
