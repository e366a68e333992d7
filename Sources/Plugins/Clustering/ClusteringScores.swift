import Foundation
import Framework

/// How one clustering of the galaxies agrees with each truth label: purity, NMI and ARI
/// (Framework's `ClusteringMetrics`) and the contingency table (truth class × cluster).
public struct ClusteringScores: Sendable {
    public var method: String
    public var clusters: Int
    /// By label name.
    public var metrics: [String: ClusteringMetrics]
    /// By label name: classes (sorted), and counts[class][cluster].
    public var contingency: [String: (classes: [Int], counts: [[Int]])]

    public init(method: String, assignments: [Int], clusters: Int, truth: TruthLabels) throws {
        self.method = method
        self.clusters = clusters
        var metrics: [String: ClusteringMetrics] = [:]
        var contingency: [String: (classes: [Int], counts: [[Int]])] = [:]
        for name in truth.names {
            let labels = truth.values[name]!
            metrics[name] = try ClusteringMetrics(labels: labels, clusters: assignments)
            let classes = Set(labels).sorted()
            let row = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
            var counts = [[Int]](repeating: [Int](repeating: 0, count: clusters), count: classes.count)
            for (l, c) in zip(labels, assignments) { counts[row[l]!][c] += 1 }
            contingency[name] = (classes, counts)
        }
        self.metrics = metrics
        self.contingency = contingency
    }

    /// `<method>_<label>_{purity,nmi,ari}` for the run's metrics.
    public var flattened: [String: Double] {
        var out: [String: Double] = [:]
        for (label, m) in metrics {
            out["\(method)_\(label)_purity"] = m.purity
            out["\(method)_\(label)_nmi"] = m.normalizedMutualInformation
            out["\(method)_\(label)_ari"] = m.adjustedRandIndex
        }
        return out
    }
}
