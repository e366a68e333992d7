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
    /// How many examples had the head's target, so entered the loss and the metrics (an
    /// unlabelled galaxy is predicted but not scored).
    public var scored = 0

    /// - Parameter progress: hears the number of examples done after each batch.
    public static func run(model: ClassifierModel, loader: DataLoader, mcSamples: Int,
                           tta: TestTimeAugmentation? = nil, seed: UInt64 = 0,
                           progress: ((Int) -> Void)? = nil) throws -> Evaluation {
        model.eval()
        if mcSamples > 1 { model.setMCDropout(true, seed: seed) }
        defer { model.setMCDropout(false) }
        var ids: [String] = [], indices: [Int] = []
        var passes = [[[Float]]](repeating: [], count: mcSamples)
        let voteTree = model.head as? any VoteTreePredicting
        var alphas = [[[Float]]](repeating: [], count: voteTree == nil ? 0 : mcSamples)
        var lossSum = 0.0, lossCount = 0
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
                let labelled = (0..<batch.count).filter { model.head.hasTarget(targets, at: $0) }
                func addLoss(_ outputs: Tensor) throws {
                    guard !labelled.isEmpty else { return }
                    let all = labelled.count == batch.count
                    let loss = try model.head.loss(outputs: all ? outputs : Self.selecting(labelled, of: outputs),
                                                   targets: all ? targets : Self.selecting(labelled, of: targets))
                    lossSum += Double(try loss.sum().item())
                    lossCount += labelled.count
                }
                for pass in 0..<mcSamples {
                    let p: Tensor
                    var alpha: Tensor? = nil
                    if let tta {
                        if pass == 0 { try addLoss(model(batch.images)) }
                        p = try tta.meanScores(batch.images) { try model.head.predictions(outputs: model($0)) }
                        if let voteTree { alpha = try tta.meanScores(batch.images) { try voteTree.concentrations(model($0)) } }
                    } else {
                        let outputs = try model(batch.images)
                        if pass == 0 { try addLoss(outputs) }
                        p = try model.head.predictions(outputs: outputs)
                        alpha = voteTree?.concentrations(outputs)
                    }
                    passes[pass] += Self.rows(p, count: batch.count)
                    if let alpha { alphas[pass] += Self.rows(alpha, count: batch.count) }
                }
                progress?(ids.count)
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
        let labelled = (0..<n).filter { model.head.hasTarget(targets, at: $0) }
        let metrics = labelled.isEmpty ? [:] : labelled.count == n
            ? model.head.metrics(predictions: mean, targets: targets)
            : model.head.metrics(predictions: labelled.map { mean[$0] }, targets: Self.selecting(labelled, of: targets))
        return Evaluation(ids: ids, indices: indices, mean: mean, spread: spread, passes: passes,
                          concentrations: voteTree == nil ? nil : alphas, targets: targets,
                          loss: lossCount > 0 ? lossSum / Double(lossCount) : .nan,
                          metrics: metrics, scored: labelled.count)
    }

    /// Rows `rows` of a [N, K] tensor.
    static func selecting(_ rows: [Int], of t: Tensor) throws -> Tensor {
        let k = t.shape.dropFirst().reduce(1, *)
        var storage: [Float] = []
        storage.reserveCapacity(rows.count * k)
        for r in rows { storage += t.storage[(r * k)..<((r + 1) * k)] }
        return try Tensor(shape: [rows.count] + t.shape.dropFirst(), storage: storage)
    }

    /// The targets of examples `rows`.
    static func selecting(_ rows: [Int], of t: Targets) -> Targets {
        Targets(count: rows.count, labels: t.labels.mapValues { v in rows.map { v[$0] } },
                votes: t.votes.mapValues { v in rows.map { v[$0] } })
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
    /// its spread over MC passes (`<name>_std`), and the true label columns where known. A
    /// vote-tree head writes a Galaxy Zoo DESI-style catalog instead: per answer the expected
    /// vote fraction `<question>_<answer>_fraction`, its spread `…_fraction_std` and the
    /// Dirichlet concentration `…_concentration` (mean over passes; their sum over a
    /// question's answers says how sure the model is, as a number of votes).
    public func writePredictions(to path: String, columns: [String]) throws {
        let labelNames = targets.labels.keys.sorted()
        let voteTree = concentrations != nil
        let names = voteTree ? columns.map { "\($0)_fraction" } : columns
        let header = ["id_str"] + names + names.map { "\($0)_std" }
            + (voteTree ? columns.map { "\($0)_concentration" } : []) + labelNames
        var rows: [[String]] = []
        rows.reserveCapacity(ids.count)
        for i in 0..<ids.count {
            var row = [ids[i]]
            row += mean[i].map { String(format: "%.6f", $0) }
            row += spread[i].map { String(format: "%.6f", $0) }
            if let alphas = concentrations {
                row += columns.indices.map { a in
                    String(format: "%.4f", alphas.reduce(Float(0)) { $0 + $1[i][a] } / Float(alphas.count))
                }
            }
            row += labelNames.map { name in
                let v = targets.labels[name]![i]
                return v.isNaN ? "" : (v == v.rounded() ? String(Int(v)) : String(v))
            }
            rows.append(row)
        }
        try CSVTable(header: header, rows: rows).write(to: path)
    }
}
