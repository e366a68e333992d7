/// Greedy k-centre core-set on embeddings (Sener & Savarese 2018): repeatedly picks the pool
/// point farthest from everything labelled or already picked, so a batch covers the
/// representation instead of being k near-duplicates.
public struct CoreSetAcquisition: Acquisition {
    public init() {}

    /// Distance from each pool point to its nearest labelled point (to the pool centroid
    /// when nothing is labelled yet).
    public func scores(_ input: AcquisitionInput) throws -> [Double] {
        try nearestDistances(input).map { $0.squareRoot() }
    }

    public func select(k: Int, from input: AcquisitionInput, rng: inout RandomGenerator) throws -> [Int] {
        let points = try Self.embeddings(input)
        let take = min(max(0, k), points.count)
        guard take > 0 else { return [] }
        var nearest = try nearestDistances(input)
        var picked: [Int] = []
        var taken = [Bool](repeating: false, count: points.count)
        if (input.labelledEmbeddings ?? []).isEmpty {
            // Nothing labelled: start from the most central point, a representative one.
            let first = nearest.indices.min { nearest[$0] != nearest[$1] ? nearest[$0] < nearest[$1] : $0 < $1 }!
            picked.append(first)
            taken[first] = true
            for i in points.indices { nearest[i] = Self.squaredDistance(points[i], points[first]) }
        }
        while picked.count < take {
            var best = -1
            for i in points.indices where !taken[i] && (best < 0 || nearest[i] > nearest[best]) { best = i }
            picked.append(best)
            taken[best] = true
            for i in points.indices where !taken[i] { nearest[i] = min(nearest[i], Self.squaredDistance(points[i], points[best])) }
        }
        return picked
    }

    func nearestDistances(_ input: AcquisitionInput) throws -> [Double] {
        let points = try Self.embeddings(input)
        let labelled = input.labelledEmbeddings ?? []
        if let bad = labelled.firstIndex(where: { $0.count != points.first?.count }) {
            throw TensorError.invalidArgument(op: "core-set", message: "labelled embedding \(bad) has \(labelled[bad].count) dimensions, the pool \(points.first?.count ?? 0)")
        }
        if labelled.isEmpty {
            let dims = points.first?.count ?? 0
            var centre = [Float](repeating: 0, count: dims)
            for p in points { for d in 0..<dims { centre[d] += p[d] / Float(points.count) } }
            return points.map { Self.squaredDistance($0, centre) }
        }
        return points.map { p in labelled.reduce(Double.infinity) { min($0, Self.squaredDistance(p, $1)) } }
    }

    static func embeddings(_ input: AcquisitionInput) throws -> [[Float]] {
        guard let e = input.embeddings else {
            throw TensorError.invalidArgument(op: "core-set", message: "needs the pool's embeddings")
        }
        if let bad = e.firstIndex(where: { $0.count != e[0].count }) {
            throw TensorError.invalidArgument(op: "core-set", message: "embedding \(bad) has \(e[bad].count) dimensions, embedding 0 has \(e[0].count)")
        }
        return e
    }

    static func squaredDistance(_ a: [Float], _ b: [Float]) -> Double {
        var s = 0.0
        for i in a.indices { let d = Double(a[i]) - Double(b[i]); s += d * d }
        return s
    }
}

/// The registry entry for `acquisition: {kind: core-set}`.
public enum CoreSetComponent: AcquisitionComponent {
    public static let kind = "core-set"
    public static let summary = "Greedy k-centre on embeddings: each pick is the pool point farthest from labelled ∪ picked (batch-diverse)"
    public struct Options: ComponentOptions { public init() {} }

    public static func make(options: Options, context: ComponentContext) throws -> any Acquisition { CoreSetAcquisition() }
}
