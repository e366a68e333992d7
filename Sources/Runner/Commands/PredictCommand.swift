import ArgumentParser
import ClassifierPlugin
import Foundation
import Framework

/// `zoorun predict`: a trained run's predictions for every galaxy of a catalog.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict a catalog with a trained run: probabilities (or vote fractions) and their MC-dropout spread.",
        discussion: """
          zoorun predict --checkpoint runs/rings --catalog my-galaxies.csv --out predictions.csv --mc-samples 10
        One row per galaxy: id_str, a column per class (or per question_answer), <column>_std over
        the MC passes. When the catalog has the run's label columns, the metrics are printed too.
        """
    )

    @Option(help: "A run folder (uses checkpoints/best.safetensors) or a checkpoint inside one.") var checkpoint: String
    @Option(help: "CSV catalog with id_str and file_loc (labels optional).") var catalog: String
    @Option(help: "Output CSV.") var out: String = "predictions.csv"
    @Option(help: "MC-dropout passes (1 = deterministic eval).") var mcSamples = 1
    @Option(help: "Test-time augmentation: c4 (rotations) or d4 (rotations and flips).") var tta: String?
    @Option(help: "Label columns to read from the catalog for metrics (default: the run's head label).") var labels: [String] = []

    func run() throws {
        do {
            let run = try TrainedRun(path: checkpoint, registry: makeRegistry())
            let (dataset, notes) = try run.predictionCatalog(catalog, labels: labels)
            let loader = try DataLoader(dataset: dataset, options: DataLoaderOptions(batchSize: 64, shuffle: false))
            let group = try tta.map { name -> TestTimeAugmentation in
                guard let g = TestTimeAugmentation.Group(rawValue: name) else { throw ValidationError("--tta must be c4 or d4") }
                return try TestTimeAugmentation(group: g)
            }
            let result = try Evaluation.run(model: run.model, loader: loader, mcSamples: mcSamples, tta: group,
                                            seed: run.experiment.config.seed)
            try result.writePredictions(to: out, columns: run.model.head.outputNames)
            print("wrote \(out): \(result.ids.count) galaxies")
            for note in notes { print("  \(note)") }
            if result.scored > 0 {
                print("  metrics on the \(result.scored) labelled galaxies:")
                for (k, v) in result.metrics.sorted(by: { $0.key < $1.key }) { print("  \(k): \(String(format: "%.4f", v))") }
            }
        } catch let e as ConfigError {
            throw CleanExit.failure(e.description)
        }
    }
}
