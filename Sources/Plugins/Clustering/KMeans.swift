import Foundation
import Framework

/// k-means (Lloyd's algorithm from k-means++ seeds, best of several restarts), the
/// clusterer of galaxies in the patch pipeline and of pooled representations.
///
/// Seeding is greedy k-means++ (Arthur & Vassilvitskii 2007): each next centre is the best of
/// 2 + ⌊ln k⌋ candidates drawn with probability ∝ squared distance to the nearest chosen
/// centre. Lloyd stops when the squared centre shift falls below `tolerance` × the mean
/// per-feature variance of the data (scikit-learn's convention), or after `maxIterations`.
/// A cluster left empty is moved to the point farthest from its centre.
public struct KMeans: Sendable {
    /// k × d centres.
    public var centres: FeatureMatrix
    /// Sum of squared distances of the fitted points to their centres.
    public var inertia: Double
    /// Lloyd iterations of the kept restart.
    public var iterations: Int

    public init(centres: FeatureMatrix, inertia: Double = .nan, iterations: Int = 0) {
        self.centres = centres
        self.inertia = inertia
        self.iterations = iterations
    }

    public var k: Int { centres.rows }

    public struct Options: Codable, Sendable, Equatable {
        public var k = 8
        /// Independent seedings; the lowest inertia wins.
        public var restarts = 4
        public var maxIterations = 300
        public var tolerance = 1e-4

        public init(k: Int = 8, restarts: Int = 4, maxIterations: Int = 300, tolerance: Double = 1e-4) {
            self.k = k
            self.restarts = restarts
            self.maxIterations = maxIterations
            self.tolerance = tolerance
        }

        enum CodingKeys: String, CodingKey {
            case k, restarts, maxIterations = "max_iterations", tolerance
        }

        public func validate(_ section: String) throws {
            if k < 1 { throw ConfigError(file: section, message: "k must be ≥ 1") }
            if restarts < 1 { throw ConfigError(file: section, message: "restarts must be ≥ 1") }
            if maxIterations < 1 { throw ConfigError(file: section, message: "max_iterations must be ≥ 1") }
        }
    }

    /// Fits k centres to the rows of `x` (deterministic for a seed).
    public static func fit(_ x: FeatureMatrix, options: Options, seed: UInt64) throws -> KMeans {
        guard x.rows >= options.k else {
            throw TensorError.invalidArgument(op: "k-means", message: "\(x.rows) points for k = \(options.k)")
        }
        guard x.cols > 0 else { throw TensorError.invalidArgument(op: "k-means", message: "points have no features") }
        let threshold = options.tolerance * meanVariance(x)
        var best: KMeans?
        for r in 0..<options.restarts {
            var rng = RandomGenerator(seed: seed, stream: 0x4B4D_0000 &+ UInt64(r))
            var model = KMeans(centres: try seedPlusPlus(x, k: options.k, rng: &rng))
            try model.lloyd(x, maxIterations: options.maxIterations, shiftThreshold: threshold)
            if best == nil || model.inertia < best!.inertia { best = model }
        }
        return best!
    }

    /// Nearest centre, its distance and the runner-up for every row of `x`.
    public func assign(_ x: FeatureMatrix) throws -> [ClusterAssignment] {
        var out: [ClusterAssignment] = []
        out.reserveCapacity(x.rows)
        for chunk in Self.chunks(x.rows) {
            let part = x.selecting(Array(chunk))
            out += ClusterAssignment.nearest(squaredDistances: try part.squaredDistances(to: centres), rows: part.rows, centres: k)
        }
        return out
    }

    // MARK: - Fitting

    /// Row ranges small enough that an n×k distance block stays in cache-sized memory.
    static func chunks(_ n: Int, size: Int = 4096) -> [Range<Int>] {
        stride(from: 0, to: n, by: size).map { $0..<min(n, $0 + size) }
    }

    static func meanVariance(_ x: FeatureMatrix) -> Double {
        var total = 0.0
        for j in 0..<x.cols {
            var s = 0.0, s2 = 0.0
            for i in 0..<x.rows { let v = Double(x.values[i * x.cols + j]); s += v; s2 += v * v }
            let m = s / Double(x.rows)
            total += max(0, s2 / Double(x.rows) - m * m)
        }
        return total / Double(x.cols)
    }

    /// Greedy k-means++ seeds.
    static func seedPlusPlus(_ x: FeatureMatrix, k: Int, rng: inout RandomGenerator) throws -> FeatureMatrix {
        let n = x.rows
        let trials = 2 + Int(log(Double(k)))
        var chosen = [rng.uniformIndex(below: n)]
        var closest = try x.squaredDistances(to: x.selecting(chosen)).map(Double.init)
        while chosen.count < k {
            let total = closest.reduce(0, +)
            var candidates: [Int] = []
            for _ in 0..<trials {
                if total <= 0 { candidates.append(rng.uniformIndex(below: n)); continue }
                var target = rng.uniformDouble() * total, pick = n - 1
                for i in 0..<n { target -= closest[i]; if target <= 0 { pick = i; break } }
                candidates.append(pick)
            }
            let dist = try x.squaredDistances(to: x.selecting(candidates))
            var bestPot = Double.infinity, bestCand = 0, bestRow: [Double] = []
            for c in candidates.indices {
                var row = closest, pot = 0.0
                for i in 0..<n { row[i] = min(row[i], Double(dist[i * candidates.count + c])); pot += row[i] }
                if pot < bestPot { bestPot = pot; bestCand = c; bestRow = row }
            }
            chosen.append(candidates[bestCand])
            closest = bestRow
        }
        return x.selecting(chosen)
    }

    /// Lloyd iterations from the current centres.
    mutating func lloyd(_ x: FeatureMatrix, maxIterations: Int, shiftThreshold: Double) throws {
        let n = x.rows, d = x.cols
        var labels = [Int](repeating: 0, count: n)
        for it in 1...maxIterations {
            let a = try assign(x)
            var sums = [Double](repeating: 0, count: k * d), counts = [Int](repeating: 0, count: k)
            for i in 0..<n {
                labels[i] = a[i].cluster
                counts[labels[i]] += 1
                for j in 0..<d { sums[labels[i] * d + j] += Double(x.values[i * d + j]) }
            }
            var next = centres.values
            for c in 0..<k where counts[c] > 0 {
                for j in 0..<d { next[c * d + j] = Float(sums[c * d + j] / Double(counts[c])) }
            }
            // An empty cluster takes the point farthest from its own centre.
            let empty = (0..<k).filter { counts[$0] == 0 }
            if !empty.isEmpty {
                let far = a.indices.sorted { a[$0].distance > a[$1].distance }
                for (c, i) in zip(empty, far) { for j in 0..<d { next[c * d + j] = x.values[i * d + j] } }
            }
            var shift = 0.0
            for t in 0..<(k * d) { let s = Double(next[t] - centres.values[t]); shift += s * s }
            centres.values = next
            iterations = it
            if shift <= shiftThreshold && empty.isEmpty { break }
        }
        inertia = try assign(x).reduce(0.0) { $0 + Double($1.distance) * Double($1.distance) }
    }
}
