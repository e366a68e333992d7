import Foundation
import Framework

/// Predictions of a model over a loader: one or more MC-dropout passes (dropout on, BatchNorm
/// in eval mode), optionally averaged over test-time augmentations, with their mean, spread,
/// loss and the head's metrics.
public struct Evaluation {
    public var ids: [String]
    public var indices: [Int]
    /// Mean prediction per example over MC passes (and TTA).
    public var mean: [[Float]]
    /// Standard deviation per example over MC passes (0 with one pass).
    public var spread: [[Float]]
    /// Every pass's predictions, [pass][example][output].
    public var passes: [[[Float]]]
    /// Vote-tree heads: every pass's Dirichlet concentrations α, [pass][example][answer]
    /// (vote-tree BALD needs α, not the expected fractions); nil for other heads.
    public var concentrations: [[[Float]]]?
    public var targets: Targets
    /// Mean per-example loss of the first pass.
    public var loss: Double
    public var metrics: [String: Double]

    public static func run(model: ClassifierModel, loader: DataLoader, mcSamples: Int,
                           tta: TestTimeAugmentation? = nil, seed: UInt64 = 0) throws -> Evaluation {
        model.eval()
        if mcSamples > 1 { model.setMCDropout(true, seed: seed) }
        defer { model.setMCDropout(false) }
        var ids: [String] = [], indices: [Int] = []
        var passes = [[[Float]]](repeating: [], count: mcSamples)
        let voteTree = model.head as? VoteTreeHead
        var alphas = [[[Float]]](repeating: [], count: voteTree == nil ? 0 : mcSamples)
        var lossSum = 0.0
        var labelColumns: [String: [Float]] = [:]
        var voteColumns: [String: [Float]] = [:]
        try GradMode.withoutGrad {
            let epoch = loader.epoch(0)
            while let batch = try epoch.next() {
                ids += batch.ids
                indices += batch.indices
                let targets = batch.targets()
                for (k, v) in targets.labels { labelColumns[k, default: []] += v }
                for (k, v) in targets.votes { voteColumns[k, default: []] += v }
                for pass in 0..<mcSamples {
                    let p: Tensor
                    var alpha: Tensor? = nil
                    if let tta {
                        if pass == 0 {
                            lossSum += Double(try model.head.loss(outputs: model(batch.images), targets: targets).sum().item())
                        }
                        p = try tta.meanScores(batch.images) { try model.head.predictions(outputs: model($0)) }
                        if let voteTree { alpha = try tta.meanScores(batch.images) { try voteTree.concentrations(model($0)) } }
                    } else {
                        let outputs = try model(batch.images)
                        if pass == 0 {
                            lossSum += Double(try model.head.loss(outputs: outputs, targets: targets).sum().item())
                        }
                        p = try model.head.predictions(outputs: outputs)
                        alpha = voteTree?.concentrations(outputs)
                    }
                    passes[pass] += Self.rows(p, count: batch.count)
                    if let alpha { alphas[pass] += Self.rows(alpha, count: batch.count) }
                }
            }
        }
        let n = ids.count
        let k = passes[0].first?.count ?? 0
        var mean = [[Float]](repeating: [Float](repeating: 0, count: k), count: n)
        var spread = mean
        for i in 0..<n {
            for j in 0..<k {
                let xs = passes.map { Double($0[i][j]) }
                let m = xs.reduce(0, +) / Double(xs.count)
                mean[i][j] = Float(m)
                spread[i][j] = xs.count > 1 ? Float((xs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(xs.count - 1)).squareRoot()) : 0
            }
        }
        let targets = Targets(count: n, labels: labelColumns, votes: voteColumns)
        return Evaluation(ids: ids, indices: indices, mean: mean, spread: spread, passes: passes,
                          concentrations: voteTree == nil ? nil : alphas, targets: targets,
                          loss: n > 0 ? lossSum / Double(n) : .nan,
                          metrics: model.head.metrics(predictions: mean, targets: targets))
    }

    /// What acquisition functions score: the concentrations for vote-tree heads, else the
    /// predictions (class probabilities).
    public var acquisitionPasses: [[[Float]]] { concentrations ?? passes }

    /// The first `count` rows of a [N, K] tensor.
    static func rows(_ t: Tensor, count: Int) -> [[Float]] {
        let k = t.shape[1]
        return (0..<count).map { i in Array(t.storage[(i * k)..<((i + 1) * k)]) }
    }

    /// predictions.csv: `id_str`, one column per output (named after the label or answer),
    /// its spread over MC passes (`<name>_std`), and the true label columns where known.
    public func writePredictions(to path: String, columns: [String]) throws {
        let labelNames = targets.labels.keys.sorted()
        let header = ["id_str"] + columns + columns.map { "\($0)_std" } + labelNames
        var rows: [[String]] = []
        for i in 0..<ids.count {
            var row = [ids[i]]
            row += mean[i].map { String(format: "%.6f", $0) }
            row += spread[i].map { String(format: "%.6f", $0) }
            row += labelNames.map { name in
                let v = targets.labels[name]![i]
                return v.isNaN ? "" : (v == v.rounded() ? String(Int(v)) : String(v))
            }
            rows.append(row)
        }
        try CSVTable(header: header, rows: rows).write(to: path)
    }
}
