import ArgumentParser
import Foundation
import Framework

/// `zoorun predict`: a trained run's predictions for every galaxy of a catalog.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict a catalog with a trained run: probabilities (or vote fractions) and their MC-dropout spread.",
        discussion: """
          zoorun predict --checkpoint runs/rings --catalog my-galaxies.csv --out predictions.csv --mc-samples 10
        What is written depends on the run's task: for finetuning, one row per galaxy (id_str, a
        column per class or question_answer, <column>_std over the MC passes); segmentation,
        detection and clustering runs write their own outputs to --out. Where the catalog has
        the run's targets, the metrics are printed too. An existing --out file, or
        earlier predictions in the --out folder, is replaced only with --overwrite;
        a folder holding other files is refused.
        """
    )

    @Option(help: "A run folder (uses checkpoints/best.safetensors) or a checkpoint inside one.") var checkpoint: String
    @Option(help: "CSV catalog with id_str and file_loc (labels optional).") var catalog: String
    @Option(help: "Output: a CSV for finetuning runs, a folder for tasks that write several files.") var out: String = "predictions.csv"
    @Option(help: "MC-dropout passes (1 = deterministic eval).") var mcSamples = 1
    @Option(help: "Test-time augmentation: c4 (rotations) or d4 (rotations and flips).") var tta: String?
    @Option(help: "Label columns to read from the catalog for metrics (default: the run's head label).") var labels: [String] = []
    @Flag(help: "Replace an existing --out file or prediction folder.") var overwrite = false

    func run() throws {
        do {
            let group = try tta.map { name -> TestTimeAugmentation.Group in
                guard let g = TestTimeAugmentation.Group(rawValue: name) else { throw ValidationError("--tta must be c4 or d4") }
                return g
            }
            let run = try RunFolder(path: checkpoint, registry: makeRegistry())
            let predictor = try run.registry.predictor(for: run)
            var folder: OutputFolder?
            if predictor.writesFolder {
                folder = try OutputFolder.claim(out, kind: .predictions, existing: overwrite ? .overwrite : .refuse)
            } else {
                try OutputFile.check(out, overwrite: overwrite)
            }
            defer { folder?.release() }
            let request = PredictionRequest(run: run, catalog: catalog, out: out, mcSamples: mcSamples, tta: group, labels: labels)
            for line in try predictor.predict(request) { print(line) }
        } catch let e as ConfigError {
            throw CleanExit.failure(e.description)
        } catch let e as OutputError {
            throw CleanExit.failure(e.description)
        }
    }
}
