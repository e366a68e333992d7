import Foundation
import Framework

/// Bottom-up hierarchical clustering of a few hundred points (the growing neural gas's
/// nodes) into a chosen number of groups, by Ward's minimum-variance criterion or average
/// linkage, with Lance–Williams updates of the between-cluster distances (O(n³), fine for
/// n ≲ 2000).
public struct AgglomerativeClustering: Sendable {
    public enum Linkage: String, Codable, Sendable, CaseIterable { case ward, average }

    /// One merge: the two clusters joined (ids: 0..<n the points, n + m the m-th merge) and
    /// the linkage distance at which they joined (Euclidean, as SciPy's `linkage`).
    public struct Merge: Sendable, Equatable {
        public var a: Int
        public var b: Int
        public var distance: Double
    }

    public let merges: [Merge]
    public let count: Int

    /// Builds the whole merge tree of the rows of `x`.
    public init(_ x: FeatureMatrix, linkage: Linkage) throws {
        let n = x.rows
        guard n >= 1 else { throw TensorError.invalidArgument(op: "agglomerative clustering", message: "no points") }
        count = n
        // Ward works on squared distances, average linkage on distances.
        let sq = try x.squaredDistances(to: x).map(Double.init)
        var dist = linkage == .ward ? sq : sq.map { $0.squareRoot() }
        var size = [Int](repeating: 1, count: n)
        var id = Array(0..<n)
        var active = [Bool](repeating: true, count: n)
        var merges: [Merge] = []
        for m in 0..<(n - 1) {
            var bi = -1, bj = -1, best = Double.infinity
            for i in 0..<n where active[i] {
                for j in (i + 1)..<n where active[j] && dist[i * n + j] < best { best = dist[i * n + j]; bi = i; bj = j }
            }
            let (ni, nj) = (Double(size[bi]), Double(size[bj]))
            for k in 0..<n where active[k] && k != bi && k != bj {
                let nk = Double(size[k])
                let updated: Double
                switch linkage {
                case .ward:
                    // Lance–Williams for Ward on squared distances scaled so d² = 2·Δ(variance).
                    updated = ((ni + nk) * dist[bi * n + k] + (nj + nk) * dist[bj * n + k] - nk * best) / (ni + nj + nk)
                case .average:
                    updated = (ni * dist[bi * n + k] + nj * dist[bj * n + k]) / (ni + nj)
                }
                dist[bi * n + k] = updated
                dist[k * n + bi] = updated
            }
            merges.append(Merge(a: min(id[bi], id[bj]), b: max(id[bi], id[bj]),
                                distance: linkage == .ward ? best.squareRoot() : best))
            size[bi] += size[bj]
            active[bj] = false
            id[bi] = n + m
        }
        self.merges = merges
    }

    /// Cluster labels 0..<groups for the points when the tree is cut into `groups` clusters;
    /// labels are numbered by each cluster's smallest point index.
    public func labels(groups: Int) throws -> [Int] {
        guard groups >= 1, groups <= count else {
            throw TensorError.invalidArgument(op: "agglomerative clustering", message: "\(groups) groups from \(count) points")
        }
        var parent = Array(0..<(2 * count))
        func root(_ i: Int) -> Int { var i = i; while parent[i] != i { i = parent[i] }; return i }
        for (m, merge) in merges.prefix(count - groups).enumerated() {
            parent[root(merge.a)] = count + m
            parent[root(merge.b)] = count + m
        }
        var numbering: [Int: Int] = [:]
        return (0..<count).map { i in
            let r = root(i)
            if let l = numbering[r] { return l }
            numbering[r] = numbering.count
            return numbering[r]!
        }
    }
}
