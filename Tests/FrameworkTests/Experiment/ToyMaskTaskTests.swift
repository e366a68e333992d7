import TestSupport
import Foundation
import Testing
@testable import Framework

// The toy dense task of docs/adding-a-task.md, written as that page describes: a model
// (a `TaskModel`), a task that trains it with the framework's `SupervisedRun` and reports
// with `RunReport`, and a component registered in one line. Nothing here copies the
// training wiring.

/// A 1×1 convolution on the backbone's stride-4 feature map: one mask logit per 4×4 patch.
final class ToyMaskModel: Module, TaskModel {
    let backbone: any Backbone
    let classifier: Conv2d
    let mask: String
    let level: Int
    let stride: Int

    init(backbone: any Backbone, mask: String, context: ComponentContext, rng: inout RandomGenerator) throws {
        guard let level = context.featureStrides.firstIndex(of: 4) else {
            throw ConfigError(file: "task", message: "the toy mask task needs a stride-4 feature map; this backbone has strides \(context.featureStrides)")
        }
        self.backbone = backbone
        self.level = level
        self.stride = 4
        self.mask = mask
        classifier = Conv2d(context.featureChannels[level], 1, kernel: 1, rng: &rng)
        super.init()
    }

    override func children() -> [(key: String, module: Module)] { [("backbone", backbone), ("classifier", classifier)] }

    /// Mask logits [N, 1, H/4, W/4].
    func logits(_ images: Tensor) throws -> Tensor { try classifier(backbone.features(images)[level]) }

    /// The batch's mask at the logits' resolution (the mean of each 4×4 patch) and which
    /// examples have one.
    func target(_ batch: Batch) throws -> (mask: Tensor, present: [Bool]) {
        guard let m = batch.masks[mask], let present = batch.maskPresent[mask] else {
            throw ConfigError(file: "task", message: "the batch has no '\(mask)' mask; it has \(batch.masks.keys.sorted())")
        }
        return (try m.avgPool2d(kernel: (stride, stride)), present)
    }

    func loss(_ batch: Batch) throws -> TaskLoss {
        let (t, present) = try target(batch)
        let z = try logits(batch.images)
        // Cross-entropy per pixel plus soft Dice per galaxy, the usual pair for small
        // foregrounds: cross-entropy alone settles on "no mask anywhere".
        let bce = try Loss.excludingAbsent(Loss.binaryCrossEntropyWithLogits(logits: z, targets: t).mean(axes: [1, 2, 3]), present: present)
        let dice = try Loss.excludingAbsent(Loss.softDice(probabilities: z.sigmoid(), targets: t), present: present)
        return TaskLoss(total: try bce + dice, parts: ["mask_bce": Double(try bce.mean().item()), "mask_dice": Double(try dice.mean().item())])
    }

    func evaluate(_ loader: DataLoader) throws -> [String: Double] {
        var lossSum = 0.0, diceSum = 0.0, n = 0, nWith = 0
        let epoch = loader.epoch(0)
        while let batch = try epoch.next() {
            let (t, present) = try target(batch)
            let z = try logits(batch.images)
            let bce = try Loss.binaryCrossEntropyWithLogits(logits: z, targets: t).mean(axes: [1, 2, 3])
            let dice = try Loss.softDice(probabilities: z.sigmoid(), targets: t, epsilon: 1e-3)
            let plane = t.count / max(1, batch.count)
            var with = 0
            for i in 0..<batch.count where present[i] {
                lossSum += Double(bce.storage[i]); n += 1
                // Dice over galaxies that have the feature: an empty truth says nothing of overlap.
                if t.storage[(i * plane)..<((i + 1) * plane)].reduce(0, +) > 0 { diceSum += 1 - Double(dice.storage[i]); with += 1 }
            }
            nWith += with
        }
        return ["loss": n > 0 ? lossSum / Double(n) : .nan, "dice": nWith > 0 ? diceSum / Double(nWith) : .nan]
    }

    func parameterGroups(learningRate: Float, layerDecay: Float, weightDecay: Float) -> [ParameterGroup] {
        ParameterGroup.layerDecayed(head: classifier.trainableParameters(), backbone: backbone, learningRate: learningRate,
                                    layerDecay: layerDecay, weightDecay: weightDecay)
    }

    func freezeBackbone() { backbone.freeze() }
}

/// `task: {kind: toy-mask, mask: spiral}`: train the mask model, test it, report.
struct ToyMaskTask: ExperimentTask {
    let options: ToyMaskTaskComponent.Options

    func build(_ experiment: Experiment) throws -> (DataSource, ToyMaskModel, TrainingOptions) {
        let (source, made) = try experiment.makeDataSource()
        var context = made
        let backbone = try experiment.makeBackbone(context: &context, for: "the toy mask task")
        var rng = RandomGenerator(seed: experiment.config.seed)
        let model = try ToyMaskModel(backbone: backbone, mask: options.mask, context: context, rng: &rng)
        let training = try experiment.config.training?.decodeOptions(TrainingOptions.self) ?? TrainingOptions()
        return (source, model, training)
    }

    func validate(_ experiment: Experiment) throws -> [String] {
        let (source, model, _) = try build(experiment)
        return [source.summary, "mask '\(options.mask)' from \(type(of: model.backbone))'s stride-4 features"]
    }

    func run(_ experiment: Experiment) throws -> RunSummary {
        let started = Date()
        let (source, model, training) = try build(experiment)
        var run = SupervisedRun(training: training, seed: experiment.config.seed, folder: experiment.runFolder)
        run.resume = experiment.resume
        run.cancellation = experiment.cancellation
        run.callbacks = experiment.extraCallbacks
        let trained = try run.fit(model, dataset: source.dataset, train: source.train, val: source.val, maskNames: [options.mask])

        let test = try DataLoader(dataset: source.dataset, indices: source.test, options: run.evaluationLoaderOptions(), maskNames: [options.mask])
        model.eval()
        let metrics = try GradMode.withoutGrad { try model.evaluate(test) }.mapKeys { "test_\($0)" }
        var report = RunReport(experiment: experiment)
        report.addRunSummary(data: source.summary, model: "\(type(of: model.backbone)) + 1×1 convolution", history: trained.state.history,
                             stopReason: trained.state.stopReason, seconds: Date().timeIntervalSince(started), testMetrics: metrics)
        try report.addTrainingCurves(history: trained.state.history)
        let files = try report.write(describingFiles: "metrics.csv, checkpoints/best.safetensors, config.yaml")
        return RunSummary(metrics: metrics, files: files, headline: "toy mask: dice \(metrics["test_dice"] ?? .nan)")
    }
}

enum ToyMaskTaskComponent: TaskComponent {
    static let kind = "toy-mask"
    static let summary = "A 1×1-convolution mask head on the stride-4 features (docs/adding-a-task.md)"
    struct Options: ComponentOptions {
        var mask = "bar"
        init() {}
    }
    static func make(options: Options, context: ComponentContext) throws -> any ExperimentTask { ToyMaskTask(options: options) }
}

extension Dictionary where Key == String {
    fileprivate func mapKeys(_ f: (String) -> String) -> [String: Value] { Dictionary(uniqueKeysWithValues: map { (f($0.key), $0.value) }) }
}

@Suite("A new dense task from YAML through the one training run", .serialized)
struct ToyMaskTaskTests {
    static let yaml = """
    name: toy-arms
    seed: 2
    task: {kind: toy-mask, mask: spiral}
    data:
      kind: simulated-galaxies
      count: 192
      simulator: {image_size: 64, features: {spiral: 0.9}}
    backbone: {kind: compact}
    training: {epochs: EPOCHS, batch_size: 16, learning_rate: 0.003, warmup_epochs: 0, patience: 0, workers: 1, monitor: val_dice, monitor_mode: max}
    """

    let dir: TemporaryFolder
    init() throws { dir = try TemporaryFolder("zoorun-toy-mask") }

    func run(epochs: Int, yaml: String = Self.yaml) throws -> RunSummary {
        let r = Registry.simulatedForTests()
        r.register(dataset: CatalogSource.self, plugin: "Framework")
        r.register(task: ToyMaskTaskComponent.self, plugin: "Tests")  // the one line a task author adds
        let path = try dir.write("toy.yaml", text: yaml.replacingOccurrences(of: "EPOCHS", with: "\(epochs)"))
        let e = try Experiment.load(path: path, registry: r, runFolder: dir.file("run-\(epochs)"))
        try e.saveResolvedConfig()
        let task: any ExperimentTask = try r.make(.task, from: e.config.task, context: e.context())
        _ = try task.validate(e)
        return try task.run(e)
    }

    @Test func trainsFromYAMLOnSimulatedMasksAndLeavesARun() throws {
        let summary = try run(epochs: 8)
        let folder = dir.file("run-8")
        let csv = try String(contentsOfFile: "\(folder)/metrics.csv", encoding: .utf8).split(separator: "\n")
        let header = csv[0].split(separator: ",").map(String.init)
        #expect(header.contains("train_mask_bce") && header.contains("train_mask_dice") && header.contains("val_dice"), "every loss part and metric is logged: \(header)")
        #expect(csv.count == 9)
        let column = { (row: Int, name: String) in Double(csv[row].split(separator: ",", omittingEmptySubsequences: false)[header.firstIndex(of: name)!])! }
        #expect(column(8, "train_loss") < column(1, "train_loss"), "the mask loss falls")
        // Predicting "no arms" everywhere scores a Dice of 0 on galaxies with arms; a learnt
        // mask overlaps them.
        let dice = try #require(summary.metrics["test_dice"])
        #expect(dice > 0.25, "test Dice \(dice)")
        for f in ["report.html", "plots/loss.png", "plots/validation_metrics.png", "checkpoints/best.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(f)"), "\(f)")
        }
    }

    /// `zoorun simulate --catalog` → `data: {kind: catalog, masks: [spiral]}`: the exported
    /// masks train the same task as the simulator's own.
    @Test func trainsOnTheMasksOfAnExportedCatalog() throws {
        var options = SimulatorOptions()
        options.features.spiral = 0.9
        try SimulatedGalaxies(seed: 2, count: 192, options: options).writeCatalog(to: dir.file("sims"), format: .png)
        let yaml = Self.yaml.replacingOccurrences(of: """
              kind: simulated-galaxies
              count: 192
              simulator: {image_size: 64, features: {spiral: 0.9}}
            """, with: """
              kind: catalog
              catalog: sims/catalog.csv
              masks: [spiral]
              image_size: 64
            """)
        #expect(yaml.contains("kind: catalog"))
        let summary = try run(epochs: 8, yaml: yaml)
        let dice = try #require(summary.metrics["test_dice"])
        #expect(dice > 0.25, "test Dice \(dice) on catalog masks")
    }
}
