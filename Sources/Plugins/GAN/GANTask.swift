import Foundation
import Framework

/// `task: {kind: gan}` — trains a DCGAN on the training split through the framework's
/// `SupervisedRun` (two optimizers, both checkpointed, so `--resume` continues exactly),
/// writes a sample grid of a fixed latent batch after every epoch, warns when the samples
/// collapse, and scores the last epoch's generator against held-out real galaxies on the
/// `backbone:` encoder's features (FID, KID, precision/recall, each with its real-vs-real
/// floor). Without `backbone:` the features are pooled pixels.
public struct GANTask: ExperimentTask {
    public let options: GANComponent.Options

    struct Parts {
        var source: DataSource
        var model: GANModel
        var training: TrainingOptions
        var embedder: any Embedder
        var features: String
        var train: [Int]
    }

    /// Training keys the GAN does not read: its two Adams are configured in `task:`.
    static let ignoredTrainingKeys = ["optimizer", "learning_rate", "weight_decay", "layer_decay", "training_mode", "clip_grad_norm", "restore_best"]

    func build(_ experiment: Experiment) throws -> Parts {
        let config = experiment.config
        if case let .mapping(m)? = config.training?.node,
           let key = Self.ignoredTrainingKeys.first(where: { m[$0] != nil }) {
            throw ConfigError(file: experiment.source.file,
                              message: "training.\(key) does not apply to the gan task: its generator and discriminator optimizers are set by task.generator_lr, discriminator_lr, beta1 and beta2, and it keeps the last epoch's weights")
        }
        let (source, made) = try experiment.makeDataSource()
        var context = made
        guard !source.normalize else {
            throw ConfigError(file: experiment.source.file, message: "the gan task trains on pixels in [0, 1] (mapped to the generator's [−1, 1]); remove data.normalize")
        }
        guard [1, 3].contains(source.channels) else {
            throw ConfigError(file: experiment.source.file, message: "the gan task needs 1 or 3 bands, the data has \(source.channels)")
        }
        var embedder: any Embedder = PixelFeatures()
        var features = "pooled pixels (8×8 per band; no backbone: section)"
        if config.backbone != nil {
            let backbone = try experiment.makeBackbone(context: &context, for: "the gan task")
            backbone.freeze()
            embedder = backbone
            let weights = config.backbone?.string("pretrained") ?? "none"
            features = "\(config.backbone?.string("kind") ?? "backbone") encoder (pretrained: \(weights)), \(backbone.embeddingWidth)-d pooled features"
        }
        var training = try config.training?.decodeOptions(TrainingOptions.self, ignoring: []) ?? TrainingOptions()
        // DCGAN has no schedule, and a discriminator's validation loss says nothing about
        // when to stop: unless the YAML says otherwise, constant rates and no early stopping.
        let given: Set<String> = {
            guard case let .mapping(m)? = config.training?.node else { return [] }
            return Set(m.keys.compactMap(\.string))
        }()
        if !given.contains("schedule") { training.schedule = .constant }
        if !given.contains("patience") { training.patience = 0 }
        training.restoreBest = false
        let model = try GANModel(options: options, channels: source.channels, imageSize: source.imageSize, seed: config.seed)
        var train = source.train
        if let only = options.onlyClass, let column = options.classLabel {
            train = try train.filter { i in
                guard let v = try source.dataset.example(at: i).labels[column] else {
                    throw ConfigError(file: experiment.source.file, message: "only_class: galaxy \(source.dataset.id(at: i)) has no label '\(column)'")
                }
                return Int(v) == only
            }
            guard !train.isEmpty else {
                throw ConfigError(file: experiment.source.file, message: "only_class \(only): no training galaxy has \(column) = \(only)")
            }
        }
        return Parts(source: source, model: model, training: training, embedder: embedder, features: features, train: train)
    }

    public func validate(_ experiment: Experiment) throws -> [String] {
        let p = try build(experiment)
        _ = try p.source.dataset.example(at: p.train[0])
        return [p.source.summary,
                "generator \(p.model.generator.parameterCount) parameters, discriminator \(p.model.discriminator.parameterCount) (\(options.stabiliser.rawValue))\(options.conditional ? ", conditional on \(options.classLabel!) (\(options.classes) classes)" : "")",
                "training on \(p.train.count) galaxies; quality features: \(p.features)"]
    }

    public func run(_ experiment: Experiment) throws -> RunSummary {
        let started = Date()
        let p = try build(experiment)
        let (source, model) = (p.source, p.model)
        let folder = experiment.runFolder
        log("zoorun: \(experiment.config.name): \(source.summary); training on \(p.train.count)")
        log("zoorun: generator \(model.generator.parameterCount) + discriminator \(model.discriminator.parameterCount) parameters; writing to \(folder)")

        // The collapse check's reference: real held-out images, as many as the grid has samples.
        let reference = Array((source.val + source.test).prefix(options.gridSamples))
        model.diversity = try SampleDiversity(embedder: p.embedder, real: Self.images(source.dataset, reference))

        var run = SupervisedRun(training: p.training, seed: experiment.config.seed, folder: folder)
        run.resume = experiment.resume
        run.cancellation = experiment.cancellation
        run.checkpointInfo = checkpointInfo(experiment, source: source)
        let grids = SampleGridWriter(model: model, folder: folder, threshold: options.collapseThreshold)
        run.callbacks = [grids] + experiment.extraCallbacks
        let trained = try run.fit(model, dataset: source.dataset, train: p.train, val: source.val)

        let classPool = try options.conditional ? p.train.map { i -> Int in
            Int(try source.dataset.example(at: i).labels[options.classLabel!] ?? 0)
        } : nil
        let quality = try GANQuality.measure(model: model, embedder: p.embedder, dataset: source.dataset,
                                             heldOut: source.val + source.test, maxSamples: options.qualitySamples,
                                             classPool: classPool, k: options.precisionRecallK, seed: experiment.config.seed)
        let metrics = quality.metrics
        try AtomicFile.write(try JSONSerialization.data(withJSONObject: metrics, options: [.prettyPrinted, .sortedKeys]),
                             to: "\(folder)/test_metrics.json")
        let report = GANReport(experiment: experiment, parts: p, history: trained.state.history, stopReason: trained.state.stopReason,
                               quality: quality, grids: grids, seconds: Date().timeIntervalSince(started))
        let files = try report.write(to: folder) + ["test_metrics.json", "metrics.csv", "checkpoints/last.safetensors"]
        let shown = String(format: "FID %.3f (floor %.3f), KID %.4f (floor %.4f), precision %.2f, recall %.2f",
                           quality.generated.fid, quality.floor.fid, quality.generated.kid, quality.floor.kid,
                           quality.generated.precision, quality.generated.recall)
        return RunSummary(metrics: metrics, files: files, headline: "\(experiment.config.name): \(shown)\nreport: \(folder)/report.html")
    }

    /// Images of `indices` stacked [N, C, H, W].
    static func images(_ dataset: any Dataset, _ indices: [Int]) throws -> Tensor {
        let images = try indices.map { try dataset.example(at: $0).image }
        guard let first = images.first else { throw TrainingError.noData(train: 0, validation: 0) }
        return try Tensor(shape: [images.count] + first.shape, storage: images.flatMap(\.pixels))
    }

    func checkpointInfo(_ experiment: Experiment, source: DataSource) -> [String: String] {
        var info = ["task": GANComponent.kind, "experiment": experiment.config.name,
                    "channels": "\(source.channels)", "image_size": "\(source.imageSize)"]
        if let text = try? String(contentsOfFile: "\(experiment.runFolder)/config.yaml", encoding: .utf8) { info["config"] = text }
        return info
    }

    func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
}
