/// Indices of a dataset divided into train, validation and test parts — either at random
/// with seeded fractions (optionally stratified by a class column, so every class keeps its
/// share in each part) or as written in a split column. The same inputs and seed always give
/// the same split; each part is in ascending index order.
public struct DatasetSplit: Sendable, Equatable {
    public var train: [Int]
    public var val: [Int]
    public var test: [Int]

    public init(train: [Int], val: [Int], test: [Int]) {
        self.train = train
        self.val = val
        self.test = test
    }

    /// How to split, as written in a config.
    public struct Options: Codable, Sendable, Equatable {
        public var train: Double
        public var val: Double
        public var test: Double
        public var seed: UInt64
        /// A class column: each distinct value is split with the same fractions.
        public var stratifyBy: String?
        /// A column holding train / val / test per row; fractions and seed are then unused.
        public var column: String?

        public init(train: Double = 0.7, val: Double = 0.15, test: Double = 0.15, seed: UInt64 = 0,
                    stratifyBy: String? = nil, column: String? = nil) {
            self.train = train
            self.val = val
            self.test = test
            self.seed = seed
            self.stratifyBy = stratifyBy
            self.column = column
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Options()
            self.init(train: try c.decodeIfPresent(Double.self, forKey: .train) ?? d.train,
                      val: try c.decodeIfPresent(Double.self, forKey: .val) ?? d.val,
                      test: try c.decodeIfPresent(Double.self, forKey: .test) ?? d.test,
                      seed: try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed,
                      stratifyBy: try c.decodeIfPresent(String.self, forKey: .stratifyBy),
                      column: try c.decodeIfPresent(String.self, forKey: .column))
        }
    }

    /// A seeded random split of `0..<count`. With `strata` (one label per index), each
    /// stratum is shuffled and cut separately. Part sizes per stratum are the fractions times
    /// the stratum size, rounded by largest remainder so they add up exactly.
    public static func random(count: Int, train: Double, val: Double, test: Double, seed: UInt64,
                              strata: [String]? = nil) throws -> DatasetSplit {
        let fractions = [train, val, test]
        guard fractions.allSatisfy({ $0 >= 0 && $0.isFinite }), abs(fractions.reduce(0, +) - 1) < 1e-6 else {
            throw DataError.invalidSplit("fractions train \(train), val \(val), test \(test) must be ≥ 0 and sum to 1")
        }
        if let s = strata, s.count != count {
            throw DataError.invalidSplit("\(s.count) stratum labels for \(count) examples")
        }
        var groups: [String: [Int]] = [:]
        for i in 0..<count { groups[strata?[i] ?? "", default: []].append(i) }
        var parts: [[Int]] = [[], [], []]
        // Strata in sorted order, each with its own stream: adding a class does not reshuffle others.
        for key in groups.keys.sorted() {
            var members = groups[key]!
            var rng = RandomGenerator(seed: seed, stream: stableHash(key))
            if members.count > 1 {
                for i in stride(from: members.count - 1, to: 0, by: -1) {
                    let j = Int(rng.next() % UInt64(i + 1))
                    members.swapAt(i, j)
                }
            }
            let sizes = apportion(members.count, fractions)
            var start = 0
            for p in 0..<3 {
                parts[p] += members[start..<(start + sizes[p])]
                start += sizes[p]
            }
        }
        return DatasetSplit(train: parts[0].sorted(), val: parts[1].sorted(), test: parts[2].sorted())
    }

    /// A split read from per-row values `train`, `val` (or `valid`, `validation`) and `test`
    /// (case and surrounding spaces ignored); `locate(i)` places row i for the error on
    /// anything else.
    public static func fromValues(_ values: [String], column: String,
                                  locate: (Int) -> DataError.Location) throws -> DatasetSplit {
        var split = DatasetSplit(train: [], val: [], test: [])
        for (i, raw) in values.enumerated() {
            switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
            case "train": split.train.append(i)
            case "val", "valid", "validation": split.val.append(i)
            case "test": split.test.append(i)
            default: throw DataError.unknownSplitValue(locate(i), column: column, value: raw)
            }
        }
        return split
    }

    /// Sizes that sum to `n`: floors of n·f, then the leftovers to the largest remainders
    /// (ties to the earlier part).
    static func apportion(_ n: Int, _ fractions: [Double]) -> [Int] {
        let exact = fractions.map { Double(n) * $0 }
        var sizes = exact.map { Int($0.rounded(.down)) }
        var left = n - sizes.reduce(0, +)
        let order = exact.indices.sorted { a, b in
            let ra = exact[a] - Double(sizes[a]), rb = exact[b] - Double(sizes[b])
            return ra != rb ? ra > rb : a < b
        }
        var k = 0
        while left > 0 {
            sizes[order[k % order.count]] += 1
            left -= 1
            k += 1
        }
        return sizes
    }

    /// FNV-1a of the UTF-8 bytes: a hash that, unlike `Hasher`, is the same in every process.
    static func stableHash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}

import Foundation
