import TestSupport
import ClassifierPlugin
import Foundation
import Testing
@testable import Framework

/// A user's head, written exactly as docs/adding-a-head.md describes: a `Head`, an options
/// struct, and one `register` line.
final class ToyMeanHead: Module, Head {
    let fc: Linear
    init(width: Int, rng: inout RandomGenerator) {
        fc = Linear(width, 2, rng: &rng)
        super.init()
    }
    var outputNames: [String] { ["no", "yes"] }
    func callAsFunction(_ x: Tensor) throws -> Tensor { try fc(x) }
    func loss(outputs: Tensor, targets: Targets) throws -> Tensor {
        try Loss.crossEntropy(logits: outputs, targets: (targets.labels["ring"] ?? []).map { Int($0) })
    }
    func predictions(outputs: Tensor) throws -> Tensor { try outputs.softmax(axis: -1) }
    func metrics(predictions: [[Float]], targets: Targets) -> [String: Double] { ["toy_examples": Double(predictions.count)] }
    func hasTarget(_ targets: Targets, at index: Int) -> Bool { targets.labels["ring"]?[index].isFinite ?? false }
}

enum ToyMeanHeadComponent: HeadComponent {
    static let kind = "toy"
    static let summary = "A two-class linear head for tests"
    struct Options: ComponentOptions { var scale: Float = 1; init() {} }
    static func make(options: Options, context: ComponentContext) throws -> any Head {
        var rng = RandomGenerator(seed: context.seed)
        return ToyMeanHead(width: context.inputWidth, rng: &rng)
    }
}

@Suite("Experiments from YAML: plugins, finetuning, resume", .serialized)
struct FinetuneExperimentTests {
    static func registry() -> Registry {
        let r = Registry.simulatedForTests()
        r.register(task: FinetuneComponent.self, plugin: "Classifier")
        r.register(head: LinearClassifierComponent.self, plugin: "Classifier")
        r.register(head: RegressorComponent.self, plugin: "Classifier")
        r.register(head: VoteTreeComponent.self, plugin: "Classifier")
        r.register(head: ToyMeanHeadComponent.self, plugin: "Tests")  // the one line a user adds
        return r
    }

    static let yaml = """
    name: tiny
    seed: 3
    task:
      kind: finetune
      mc_samples: 2
    data:
      kind: simulated-galaxies
      count: 48
      simulator:
        image_size: 32
    backbone:
      kind: compact
    head:
      kind: HEAD
    training:
      epochs: EPOCHS
      batch_size: 8
      warmup_epochs: 0
      patience: 0
      workers: 1
    """

    func write(head: String = "linear-classifier\n  label: ring", epochs: Int = 2) throws -> (String, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zoorun-exp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let text = Self.yaml.replacingOccurrences(of: "HEAD", with: head).replacingOccurrences(of: "EPOCHS", with: "\(epochs)")
        try text.write(toFile: "\(dir)/tiny.yaml", atomically: true, encoding: .utf8)
        return (dir, "\(dir)/tiny.yaml")
    }

    func run(_ path: String, out: String, resume: Bool = false, overrides: [String] = []) throws -> RunSummary {
        let e = try Experiment.load(path: path, overrides: overrides, registry: Self.registry(), runFolder: out, resume: resume)
        let task: any ExperimentTask = try e.registry.make(.task, from: e.config.task, context: e.context())
        try e.saveResolvedConfig()
        return try task.run(e)
    }

    @Test func toyHeadTrainsFromYAML() throws {
        let (dir, path) = try write(head: "toy\n  scale: 2", epochs: 1)
        let summary = try run(path, out: "\(dir)/run")
        #expect(summary.metrics["test_toy_examples"] != nil)
        for f in ["metrics.csv", "metrics.jsonl", "predictions.csv", "report.html", "config.yaml", "checkpoints/best.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: "\(dir)/run/\(f)"), "missing \(f)")
        }
        let csv = try String(contentsOfFile: "\(dir)/run/predictions.csv", encoding: .utf8)
        #expect(csv.hasPrefix("id_str,no,yes,no_std,yes_std"))
    }

    /// The vote-tree report carries the GZ DESI table with each question's calibration
    /// error and the reliability figure, whose CSV holds every answer prediction once.
    @Test func voteTreeReportHasTheCalibrationTableAndFigure() throws {
        let (dir, path) = try write(head: "vote-tree\n  dropout: 0.2", epochs: 1)
        _ = try run(path, out: "\(dir)/run")
        #expect(FileManager.default.fileExists(atPath: "\(dir)/run/plots/vote_fraction_reliability.png"))
        let metrics = try String(contentsOfFile: "\(dir)/run/vote_tree_metrics.csv", encoding: .utf8)
        #expect(metrics.hasPrefix("question,confident,accuracy,precision,recall,f1,mad,calibration_error"))
        let rows = try String(contentsOfFile: "\(dir)/run/vote_fraction_reliability.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        let pooled = rows.filter { $0[0] == "all" }.map { Int($0[3])! }.reduce(0, +)
        let perQuestion = rows.filter { $0[0] != "all" }.map { Int($0[3])! }.reduce(0, +)
        #expect(pooled > 0 && pooled == perQuestion)
        let html = try String(contentsOfFile: "\(dir)/run/report.html", encoding: .utf8)
        #expect(html.contains("calibration error") && html.contains("Calibration of predicted vote fractions"))
        // The predictions are a GZ DESI-style catalog: fractions that sum to 1 per question,
        // their spread and the Dirichlet concentrations behind them.
        let catalog = try CSVTable.read(path: "\(dir)/run/predictions.csv")
        let tree = DecisionTree.gzDecals
        #expect(catalog.header.contains("smooth-or-featured_smooth_fraction") && catalog.header.contains("smooth-or-featured_smooth_fraction_std"))
        let row = catalog.rows[0]
        let value = { (name: String) in Double(row[catalog.columnIndex(name)!])! }
        let first = tree.answerRanges[0].map { tree.columnNames[$0] }
        #expect(Swift.abs(first.map { value("\($0)_fraction") }.reduce(0, +) - 1) < 1e-4)
        let alphas = first.map { value("\($0)_concentration") }
        #expect(alphas.allSatisfy { $0 >= 1 && $0 <= 101 })
        #expect(Swift.abs(value("\(first[0])_fraction") - alphas[0] / alphas.reduce(0, +)) < 0.02, "mean α and mean fraction agree closely")
    }

    @Test func regressionOnATruthLabel() throws {
        let (dir, path) = try write(head: "regressor\n  label: axis_ratio\n  unit_interval: true\n  loss: mae", epochs: 1)
        let summary = try run(path, out: "\(dir)/run")
        let mae = try #require(summary.metrics["test_mae"])
        #expect(mae > 0 && mae < 1)
        #expect(summary.metrics["test_rmse"] != nil && summary.metrics["test_r2"] != nil)
        let csv = try String(contentsOfFile: "\(dir)/run/predictions.csv", encoding: .utf8)
        #expect(csv.hasPrefix("id_str,axis_ratio,axis_ratio_std"))
    }

    @Test func unknownHeadKindSuggests() throws {
        let (dir, path) = try write(head: "linear-clasifier", epochs: 1)
        #expect { try run(path, out: "\(dir)/run") } throws: { e in
            "\(e)".contains("tiny.yaml:14:9: error: unknown head kind 'linear-clasifier'") && "\(e)".contains("did you mean 'linear-classifier'?")
        }
    }

    @Test func typoInTrainingIsCaughtWithPosition() throws {
        let (dir, path) = try write(epochs: 1)
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "batch_size", with: "batchsize")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try run(path, out: "\(dir)/run") } throws: { e in
            "\(e)".contains("tiny.yaml:18:3: error: unknown key 'batchsize' in 'training'; did you mean 'batch_size'?")
        }
    }

    @Test func cachingDecodedImagesDoesNotChangeTheRun() throws {
        let (dir, path) = try write(epochs: 2)
        // The default caches; 0 decodes every epoch.
        let plain = try run(path, out: "\(dir)/plain", overrides: ["training.cache_mb=0"])
        let cached = try run(path, out: "\(dir)/cached")
        let a = try String(contentsOfFile: "\(dir)/plain/metrics.csv", encoding: .utf8)
        let b = try String(contentsOfFile: "\(dir)/cached/metrics.csv", encoding: .utf8)
        #expect(a == b)
        #expect(plain.metrics == cached.metrics)
        #expect { try run(path, out: "\(dir)/bad", overrides: ["training.cache_mb=-1"]) } throws: { e in
            "\(e)".contains("cache_mb must be in 0...1048576")
        }
    }

    /// Interrupts training after a given epoch, as Ctrl-C or a kill after a checkpoint would.
    final class InterruptAfter: TrainingCallback {
        let epoch: Int, flag: CancellationFlag
        init(epoch: Int, flag: CancellationFlag) { self.epoch = epoch; self.flag = flag }
        func on(_ event: TrainingEvent, state: TrainerState) throws {
            if case let .epochEnd(e) = event, e == epoch { flag.set() }
        }
    }

    @Test func resumedRunEqualsUninterruptedRun() throws {
        let (dir, path) = try write(epochs: 3)
        let full = try run(path, out: "\(dir)/full")
        let flag = CancellationFlag()
        let e = try Experiment.load(path: path, registry: Self.registry(), runFolder: "\(dir)/split", cancellation: flag)
        e.extraCallbacks = [InterruptAfter(epoch: 0, flag: flag)]
        let task: any ExperimentTask = try e.registry.make(.task, from: e.config.task, context: e.context())
        #expect(throws: TrainingError.self) { try task.run(e) }
        let partial = try String(contentsOfFile: "\(dir)/split/metrics.csv", encoding: .utf8)
        #expect(partial.split(separator: "\n").count == 2)
        let resumed = try run(path, out: "\(dir)/split", resume: true)
        let a = try String(contentsOfFile: "\(dir)/full/metrics.csv", encoding: .utf8)
        let b = try String(contentsOfFile: "\(dir)/split/metrics.csv", encoding: .utf8)
        #expect(a.split(separator: "\n").count == 4)
        #expect(a == b)
        #expect(full.metrics == resumed.metrics)
        for f in ["confusion_matrix.csv", "plots/roc.png", "plots/loss.png", "plots/most_confident.png", "report.html", "test_metrics.json"] {
            #expect(FileManager.default.fileExists(atPath: "\(dir)/full/\(f)"), "missing \(f)")
        }
    }

    /// `data.normalize: true`: the training split's statistics are in the checkpoint, so a
    /// run rebuilt from its folder (what `zoorun predict` does) gives the run's own predictions.
    @Test func normalisedRunReloadsWithItsStatistics() throws {
        let (dir, path) = try write(epochs: 1)
        _ = try run(path, out: "\(dir)/run", overrides: ["data.normalize=true", "task.mc_samples=1"])
        let saved = try SafeTensors.read(path: "\(dir)/run/checkpoints/best.safetensors")
        let entry = try #require(saved.entries.first { $0.key.hasSuffix("input_norm.mean") }?.value)
        let mean = entry.values
        #expect(mean.count == 3 && mean != [0, 0, 0], "the statistics were not stored")

        let reloaded = try TrainedRun(path: "\(dir)/run", registry: Self.registry())
        #expect(reloaded.model.inputNorm?.mean.storage == mean)
        let e = reloaded.experiment
        let source: DataSource = try e.registry.make(.dataset, from: e.config.data, context: e.context())
        let loader = try DataLoader(dataset: source.dataset, indices: source.test,
                                    options: DataLoaderOptions(batchSize: 64, shuffle: false, workers: 1))
        let again = try Evaluation.run(model: reloaded.model, loader: loader, mcSamples: 1)
        let csv = try CSVTable.read(path: "\(dir)/run/predictions.csv")
        let yes = try #require(csv.column("yes")).map { Float($0)! }
        #expect(yes.count == again.mean.count)
        for (a, b) in zip(yes, again.mean.map { $0[1] }) { #expect(abs(a - b) < 1e-5) }
    }
}
