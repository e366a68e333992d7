import Foundation

/// Agreement of a clustering with true labels: purity, normalised mutual information
/// (arithmetic-mean normalisation, scikit-learn's default) and the adjusted Rand index.
///
/// Labels and clusters are arbitrary integers; only which examples share one matters.
public struct ClusteringMetrics: Codable, Sendable, Equatable {
    public var count: Int
    /// Σ over clusters of the size of its largest class, over the number of examples.
    public var purity: Double
    public var normalizedMutualInformation: Double
    public var adjustedRandIndex: Double

    public init(labels: [Int], clusters: [Int]) throws {
        guard labels.count == clusters.count else {
            throw TensorError.invalidArgument(op: "clustering metrics", message: "\(labels.count) labels for \(clusters.count) cluster assignments")
        }
        guard !labels.isEmpty else {
            throw TensorError.invalidArgument(op: "clustering metrics", message: "no examples")
        }
        let classIndex = Dictionary(uniqueKeysWithValues: Set(labels).sorted().enumerated().map { ($1, $0) })
        let clusterIndex = Dictionary(uniqueKeysWithValues: Set(clusters).sorted().enumerated().map { ($1, $0) })
        // table[class][cluster]
        var table = [[Double]](repeating: [Double](repeating: 0, count: clusterIndex.count), count: classIndex.count)
        for (l, k) in zip(labels, clusters) { table[classIndex[l]!][clusterIndex[k]!] += 1 }
        let n = Double(labels.count)
        let rows = table.map { $0.reduce(0, +) }
        let cols = (0..<clusterIndex.count).map { j in table.reduce(0) { $0 + $1[j] } }
        count = labels.count
        purity = cols.indices.map { j in table.map { $0[j] }.max()! }.reduce(0, +) / n

        // NMI: both labellings trivial is a perfect match (1); otherwise MI / mean entropy.
        if classIndex.count == 1 && clusterIndex.count == 1 {
            normalizedMutualInformation = 1
        } else {
            var mi = 0.0
            for i in rows.indices { for j in cols.indices where table[i][j] > 0 {
                let nij = table[i][j]
                mi += nij / n * log(nij * n / (rows[i] * cols[j]))
            } }
            let entropy = { (sizes: [Double]) in sizes.reduce(0) { $0 - ($1 / n) * log($1 / n) } }
            let mean = (entropy(rows) + entropy(cols)) / 2
            normalizedMutualInformation = mi <= 0 || mean <= 0 ? 0 : min(1, mi / mean)
        }

        // ARI from pair counts; equal partitions into one or n groups have max = expected (1).
        let pairs = { (x: Double) in x * (x - 1) / 2 }
        let index = table.reduce(0) { $0 + $1.reduce(0) { $0 + pairs($1) } }
        let a = rows.reduce(0) { $0 + pairs($1) }, b = cols.reduce(0) { $0 + pairs($1) }
        let expected = n < 2 ? 0 : a * b / pairs(n)
        let maximum = (a + b) / 2
        adjustedRandIndex = maximum == expected ? 1 : (index - expected) / (maximum - expected)
    }
}
