import Foundation

/// The pooled representations of a dataset's examples in evaluation mode, one row per
/// example: what `zoorun embed`, similarity search, the anomaly search, core-set acquisition
/// and clustering all start from.
public struct DatasetEmbedding {
    /// Dataset indices of the rows, in the order asked for.
    public var indices: [Int]
    public var ids: [String]
    public var rows: [[Float]]

    public var width: Int { rows.first?.count ?? 0 }

    /// Embeds `indices` (nil: every example) of `dataset` with `model` in evaluation mode.
    /// - Parameter progress: label for a progress line on standard error (nil: quiet).
    public init(_ model: any Embedder, dataset: any Dataset, indices: [Int]? = nil, batchSize: Int = 64,
                workers: Int = 2, seed: UInt64 = 0, progress: String? = nil) throws {
        let chosen = indices ?? Array(0..<dataset.count)
        model.eval()
        let loader = try DataLoader(dataset: dataset, indices: chosen,
                                    options: DataLoaderOptions(batchSize: batchSize, shuffle: false, seed: seed, workers: workers))
        var rows: [[Float]] = [], ids: [String] = [], order: [Int] = []
        rows.reserveCapacity(chosen.count)
        let started = Date()
        var lastShown = Date.distantPast
        try GradMode.withoutGrad {
            let epoch = loader.epoch(0)
            while let batch = try epoch.next() {
                let z = try model.embed(batch.images)
                let d = z.shape[1]
                for i in 0..<batch.count { rows.append(Array(z.storage[(i * d)..<((i + 1) * d)])) }
                ids += batch.ids
                order += batch.indices
                if let progress, Date().timeIntervalSince(lastShown) > 5 || rows.count == chosen.count {
                    lastShown = Date()
                    let rate = Double(rows.count) / max(Date().timeIntervalSince(started), 1e-9)
                    FileHandle.standardError.write(Data(String(format: "%@: embedded %d/%d (%.0f/s)\n", progress, rows.count, chosen.count, rate).utf8))
                }
            }
        }
        self.indices = order
        self.ids = ids
        self.rows = rows
    }

    /// Each dimension shifted to mean 0 and scaled to standard deviation 1 over the rows (a
    /// constant dimension becomes 0), so that distance-based methods weigh dimensions alike.
    public func standardised() -> [[Float]] {
        var out = rows
        for d in 0..<width {
            let mean = rows.reduce(0.0) { $0 + Double($1[d]) } / Double(rows.count)
            let sd = (rows.reduce(0.0) { $0 + pow(Double($1[d]) - mean, 2) } / Double(rows.count)).squareRoot()
            for i in out.indices { out[i][d] = sd > 1e-12 ? Float((Double(rows[i][d]) - mean) / sd) : 0 }
        }
        return out
    }

    /// Writes `id_str, e0, e1, …` (atomically).
    public func writeCSV(to path: String) throws {
        let table = CSVTable(header: ["id_str"] + (0..<width).map { "e\($0)" },
                             rows: zip(ids, rows).map { id, r in [id] + r.map { String($0) } })
        try table.write(to: path)
    }
}
