import Foundation

/// The draws the simulator makes, on a seeded generator: uniform ranges, coin flips,
/// weighted choices.
struct Dice {
    var rng: RandomGenerator

    init(seed: UInt64, stream: UInt64) { rng = RandomGenerator(seed: seed, stream: stream) }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { rng.uniformDouble() }

    /// Uniform in the range.
    mutating func uniform(_ r: ClosedRange<Double>) -> Double {
        r.lowerBound + (r.upperBound - r.lowerBound) * rng.uniformDouble()
    }

    /// A whole number in the range, each equally likely.
    mutating func integer(_ r: ClosedRange<Int>) -> Int {
        r.lowerBound + min(r.count - 1, Int(rng.uniformDouble() * Double(r.count)))
    }

    /// True with probability p.
    mutating func chance(_ p: Double) -> Bool { rng.uniformDouble() < p }

    /// An index drawn with probability proportional to its weight (weights ≥ 0, sum > 0).
    mutating func choose(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var u = rng.uniformDouble() * total
        for (i, w) in weights.enumerated() {
            if u < w { return i }
            u -= w
        }
        return weights.lastIndex { $0 > 0 } ?? 0
    }

    /// Standard normal.
    mutating func normal() -> Double { rng.normalDouble() }

    /// An angle in [0, 2π).
    mutating func angle() -> Double { 2 * Double.pi * rng.uniformDouble() }

    /// +1 or −1.
    mutating func sign() -> Double { chance(0.5) ? 1 : -1 }
}
