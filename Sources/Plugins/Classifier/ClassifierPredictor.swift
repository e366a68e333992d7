import Foundation
import Framework

/// `zoorun predict` and `zoorun embed` for finetuning runs: probabilities (or expected vote
/// fractions) with their MC-dropout spread, scored where the catalog has the run's labels.
public enum ClassifierPredictor: RunPredictor {
    public static let taskKinds = [FinetuneComponent.kind]

    public static func predict(_ request: PredictionRequest) throws -> [String] {
        let run = try TrainedRun(request.run)
        let (dataset, notes) = try run.predictionCatalog(request.catalog, labels: request.labels)
        let loader = try DataLoader(dataset: dataset, options: DataLoaderOptions(batchSize: 64, shuffle: false))
        let tta = try request.tta.map { try TestTimeAugmentation(group: $0) }
        var progress = ProgressLine(label: "zoorun: predict", total: dataset.count) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        let result = try Evaluation.run(model: run.model, loader: loader, mcSamples: request.mcSamples, tta: tta,
                                        seed: run.experiment.config.seed) { progress.update($0) }
        try result.writePredictions(to: request.out, columns: run.model.head.outputNames)
        var lines = ["wrote \(request.out): \(result.ids.count) galaxies"] + notes.map { "  \($0)" }
        if result.scored > 0 {
            lines.append("  metrics on the \(result.scored) labelled galaxies:")
            lines += result.metrics.sorted(by: { $0.key < $1.key }).map { "  \($0.key): \(String(format: "%.4f", $0.value))" }
        }
        return lines
    }

    /// The trained model embeds through its input standardisation, as it trained.
    public static func embedder(_ run: RunFolder) throws -> (any Embedder)? { try TrainedRun(run).model }
}
