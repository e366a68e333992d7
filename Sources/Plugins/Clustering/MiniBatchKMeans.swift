import Foundation
import Framework

/// k-means that streams (Sculley 2010, "Web-scale k-means clustering"): centres seeded by
/// k-means++ on the first batch, then each batch's points pull their nearest centre with a
/// per-centre learning rate 1/(points it has won), so any number of points passes through in
/// the memory of one batch. Seeded and deterministic for a given batch order.
public struct MiniBatchKMeans: Sendable {
    public private(set) var centres: FeatureMatrix
    /// Points each centre has won so far.
    public private(set) var counts: [Int]
    public let k: Int

    public init(k: Int, dimensions: Int) {
        self.k = k
        centres = FeatureMatrix(rows: 0, cols: dimensions, values: [])
        counts = []
    }

    public var isSeeded: Bool { centres.rows == k }

    /// Learns from one batch (seeding from it when there are no centres yet).
    public mutating func learn(_ batch: FeatureMatrix, rng: inout RandomGenerator) throws {
        guard batch.rows > 0 else { return }
        if !isSeeded {
            guard batch.rows >= k else {
                throw TensorError.invalidArgument(op: "mini-batch k-means", message: "the first batch has \(batch.rows) points for k = \(k)")
            }
            centres = try KMeans.seedPlusPlus(batch, k: k, rng: &rng)
            counts = [Int](repeating: 0, count: k)
        }
        let d = batch.cols
        let a = try KMeans(centres: centres).assign(batch)
        for (i, x) in a.enumerated() {
            let c = x.cluster
            counts[c] += 1
            let rate = 1 / Float(counts[c])
            for j in 0..<d { centres.values[c * d + j] += rate * (batch.values[i * d + j] - centres.values[c * d + j]) }
        }
    }

    /// The fitted centres as a batch k-means model (for assignment).
    public var model: KMeans { KMeans(centres: centres) }
}
