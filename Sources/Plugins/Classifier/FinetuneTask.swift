import Foundation
import Synchronization
import Framework

/// `task: {kind: finetune}` — Zoobot's finetuning: a backbone (optionally pretrained) and a
/// head trained on a labelled split, validated each epoch, early-stopped on validation
/// loss, then evaluated on the test split with MC dropout (and optional TTA). Classification,
/// regression and vote-tree heads all run through it; the head decides loss and metrics.
public struct FinetuneTask: ExperimentTask {
    public let options: FinetuneComponent.Options

    /// Everything the run builds from the config.
    struct Parts {
        var source: DataSource
        var model: ClassifierModel
        var training: TrainingOptions
        var augmentation: AugmentationOptions?
    }

    func build(_ experiment: Experiment) throws -> Parts {
        let config = experiment.config
        let (source, made) = try experiment.makeDataSource()
        var context = made
        let backbone = try experiment.makeBackbone(context: &context, for: "a finetune experiment")
        guard let headNode = config.head else {
            throw ConfigError(file: experiment.source.file, message: "a finetune experiment needs a `head:` section (e.g. kind: linear-classifier)")
        }
        let head: any Head = try experiment.registry.make(.head, from: headNode, context: context)
        try source.checkLabels(for: head)
        let training = try config.training?.decodeOptions(TrainingOptions.self, ignoring: []) ?? TrainingOptions()
        let augmentation = try config.augmentation?.decode(AugmentationOptions.self)
        let model = ClassifierModel(encoder: backbone, head: head, inputNorm: try source.normalizationStatistics().map(InputNormalization.init))
        return Parts(source: source, model: model, training: training,
                     augmentation: augmentation)
    }

    public func validate(_ experiment: Experiment) throws -> [String] {
        let parts = try build(experiment)
        let s = parts.source
        // Decode one example of each split so bad files show up now, not mid-run.
        for i in [s.train.first, s.val.first, s.test.first].compactMap({ $0 }) { _ = try s.dataset.example(at: i) }
        return [s.summary,
                "backbone: \(parts.model.encoder.parameterCount) parameters, embedding width \(parts.model.encoder.embeddingWidth)",
                "head outputs: \(parts.model.head.outputNames.joined(separator: ", "))",
                "training: \(parts.training.epochs) epochs, batch \(parts.training.batchSize), \(parts.training.trainingMode.rawValue)"]
    }

    public func run(_ experiment: Experiment) throws -> RunSummary {
        let started = Date()
        let parts = try build(experiment)
        let (source, model, training) = (parts.source, parts.model, parts.training)
        let folder = experiment.runFolder
        log("zoorun: \(experiment.config.name): \(source.summary)")
        log("zoorun: \(type(of: model.encoder)) (\(model.encoder.parameterCount) parameters) + \(type(of: model.head)); writing to \(folder)")

        // Leave out examples without this head's target (e.g. unlabelled galaxies).
        // A head that reads only label columns needs no votes (rendering every simulated
        // galaxy once just for its votes was most of the start-up).
        let progress = Mutex(ProgressLine(label: "zoorun: targets", total: source.dataset.count, log: { log($0) }))
        let targets = try Targets(allOf: source.dataset, votes: model.head.labelColumns.isEmpty) { done in
            progress.withLock { $0.update(done) }
        }
        func labelled(_ idx: [Int]) -> [Int] { idx.filter { model.head.hasTarget(targets, at: $0) } }
        let trainIdx = labelled(source.train), valIdx = labelled(source.val), testIdx = labelled(source.test)
        guard !trainIdx.isEmpty, !valIdx.isEmpty else {
            throw ConfigError(file: experiment.source.file,
                message: "no labelled examples in the train (\(trainIdx.count)) or validation (\(valIdx.count)) split for head outputs \(model.head.outputNames)")
        }

        let seed = experiment.config.seed
        let votes = source.voteColumns.isEmpty ? nil : source.voteColumns
        var run = SupervisedRun(training: training, seed: seed, folder: folder)
        run.resume = experiment.resume
        run.checkpointInfo = checkpointInfo(experiment, model: model)
        run.cancellation = experiment.cancellation
        run.callbacks = experiment.extraCallbacks
        let trained: SupervisedRun.Result
        do {
            trained = try run.fit(model, dataset: source.dataset, train: trainIdx, val: valIdx,
                                  augmentation: parts.augmentation, voteColumns: votes)
        } catch let e as TrainingError {
            if case .interrupted = e { log("zoorun: \(e)") }
            throw e
        }
        let state = trained.state
        let evalOptions = run.evaluationLoaderOptions()

        // Test: the best (or, with restore_best: false, the last) weights, MC dropout, optional TTA.
        if let target = options.exportEncoder {
            let path = experiment.resolve(target)
            let entries = model.encoder.stateDict().map { name, t in
                SafeTensorsEntry(name: name, dtype: name.hasSuffix("num_batches_tracked") ? .I64 : .F32, tensor: t)
            }
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try SafeTensors.write(entries, metadata: ["source": "zoorun \(experiment.config.name)", "backbone": experiment.config.backbone?.string("kind") ?? ""], to: path)
            log("zoorun: exported the encoder to \(path)")
        }
        var outputs = ["config.yaml", "metrics.jsonl", "metrics.csv", "checkpoints/best.safetensors", "checkpoints/last.safetensors"]
        var testMetrics: [String: Double] = [:]
        if !testIdx.isEmpty {
            let testLoader = try DataLoader(dataset: source.dataset, indices: testIdx, options: evalOptions, voteColumns: votes)
            let tta = try options.tta.map { try TestTimeAugmentation(group: $0, handedness: parts.augmentation?.handedness ?? false) }
            let result = try Evaluation.run(model: model, loader: testLoader, mcSamples: options.mcSamples, tta: tta, seed: seed)
            testMetrics = result.metrics.mapKeys { "test_\($0)" }
            testMetrics["test_loss"] = result.loss
            try result.writePredictions(to: "\(folder)/predictions.csv", columns: model.head.outputNames)
            outputs.append("predictions.csv")
            let report = FinetuneReport(experiment: experiment, source: source, model: model, history: state.history,
                                        test: result, testMetrics: testMetrics, seconds: Date().timeIntervalSince(started),
                                        stopReason: state.stopReason)
            outputs += try report.write(to: folder)
        }
        let metricsJSON = try JSONSerialization.data(withJSONObject: testMetrics.mapValues { $0.isFinite ? $0 as Any : NSNull() },
                                                     options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write(metricsJSON, to: "\(folder)/test_metrics.json")
        outputs.append("test_metrics.json")
        let shown = testMetrics.keys.sorted().map { "\($0) \(String(format: "%.3f", testMetrics[$0]!))" }.joined(separator: ", ")
        return RunSummary(metrics: testMetrics, files: outputs,
                          headline: "\(experiment.config.name): \(shown)\nreport: \(folder)/report.html")
    }

    func checkpointInfo(_ experiment: Experiment, model: ClassifierModel) -> [String: String] {
        var info: [String: String] = [
            "task": FinetuneComponent.kind,
            "outputs": model.head.outputNames.joined(separator: "\t"),
            "experiment": experiment.config.name,
        ]
        if let text = try? String(contentsOfFile: "\(experiment.runFolder)/config.yaml", encoding: .utf8) { info["config"] = text }
        return info
    }

    func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
}

/// The registry entry for `task: {kind: finetune}`.
public enum FinetuneComponent: TaskComponent {
    public static let kind = "finetune"
    public static let summary = "Finetune a (pretrained) backbone with a head on labelled galaxies; test with MC dropout"

    public struct Options: ComponentOptions {
        /// MC-dropout passes over the test set (1 = plain eval).
        public var mcSamples = 5
        /// Test-time augmentation over rotations (c4) or rotations and flips (d4).
        public var tta: TestTimeAugmentation.Group?
        /// After training, also save the best encoder's weights here (timm-style keys, no
        /// `encoder.` prefix), for `backbone.pretrained:` of later experiments.
        public var exportEncoder: String?

        public init() {}

        enum CodingKeys: String, CodingKey {
            case mcSamples = "mc_samples", tta, exportEncoder = "export_encoder"
        }

        public func validate() throws {
            if mcSamples < 1 { throw ConfigError(file: "task", message: "mc_samples must be ≥ 1") }
        }
    }

    public static func make(options: Options, context: ComponentContext) throws -> any ExperimentTask {
        FinetuneTask(options: options)
    }
}

extension Dictionary where Key == String {
    func mapKeys(_ f: (String) -> String) -> [String: Value] {
        Dictionary(uniqueKeysWithValues: map { (f($0.key), $0.value) })
    }
}
