import Foundation
import Framework

/// `task: {kind: detection}` — trains Faster R-CNN on the data's boxes through the
/// framework's `SupervisedRun`, tests it on the test split and reports: detections CSV,
/// COCO JSON, AP50 / COCO AP, completeness and purity (at `score_threshold` and against it),
/// per-galaxy clump counts and overlay galleries.
///
/// Augmentation defaults to flips and 90° rotations only: an arbitrary rotation's enclosing
/// box is larger than the rotated object, which would teach the detector inflated boxes. It
/// stays available with an explicit `rotation: true`.
public struct DetectionTask: ExperimentTask {
    public let options: DetectionComponent.Options

    public init(options: DetectionComponent.Options) { self.options = options }

    /// The data, the detector on its backbone, and the training and augmentation sections.
    func build(_ experiment: Experiment) throws
        -> (source: DataSource, model: FasterRCNN, training: TrainingOptions, augmentation: AugmentationOptions?) {
        let (source, made) = try experiment.makeDataSource()
        var context = made
        let backbone = try experiment.makeBackbone(context: &context, for: "a detection experiment")
        var rng = RandomGenerator(seed: experiment.config.seed)
        let norm = try source.normalizationStatistics().map(InputNormalization.init)
        let model = try FasterRCNN(backbone: backbone, context: context, options: options, inputNorm: norm, rng: &rng)
        model.samplingSeed = experiment.config.seed
        let training = try experiment.config.training?.decodeOptions(TrainingOptions.self, ignoring: []) ?? TrainingOptions()
        return (source, model, training, try Self.augmentation(experiment.config.augmentation))
    }

    /// The `augmentation:` section with `rotation` off unless it is written (see the type's note).
    static func augmentation(_ node: ConfigNode?) throws -> AugmentationOptions? {
        guard let node else { return nil }
        var options = try node.decode(AugmentationOptions.self)
        let keys = node.node.mapping?.keys.compactMap(\.string) ?? []
        if !keys.contains("rotation") { options.rotation = false }
        return options
    }

    public func validate(_ experiment: Experiment) throws -> [String] {
        let parts = try build(experiment)
        let s = parts.source
        var boxes = 0
        for i in [s.train.first, s.val.first, s.test.first].compactMap({ $0 }) { boxes += try s.dataset.example(at: i).boxes.count }
        return [s.summary,
                "detector: \(type(of: parts.model.backbone)) strides \(options.featureStrides)\(options.fpn ? " + FPN" : ""), upsample ×\(options.upsample), \(parts.model.parameterCount) parameters",
                "anchors: sizes \(options.anchorSizes) px, ratios (h/w) \(options.aspectRatios)",
                "augmentation: \(parts.augmentation.map { "flips \($0.flips), rot90 \($0.rot90), rotation \($0.rotation)" } ?? "none")",
                "training: \(parts.training.epochs) epochs, batch \(parts.training.batchSize)"]
    }

    public func run(_ experiment: Experiment) throws -> RunSummary {
        let started = Date()
        let parts = try build(experiment)
        let (source, model) = (parts.source, parts.model)
        let folder = experiment.runFolder
        log("zoorun: \(experiment.config.name): \(source.summary)")
        var run = SupervisedRun(training: parts.training, seed: experiment.config.seed, folder: folder)
        run.resume = experiment.resume
        run.cancellation = experiment.cancellation
        run.callbacks = experiment.extraCallbacks
        run.checkpointInfo = ["task": DetectionComponent.kind, "experiment": experiment.config.name]
        let trained = try run.fit(model, dataset: source.dataset, train: source.train, val: source.val,
                                  augmentation: parts.augmentation, maskNames: [])

        log("zoorun: testing on \(source.test.count) galaxies")
        let test = try DataLoader(dataset: source.dataset, indices: source.test, options: run.evaluationLoaderOptions(), maskNames: [])
        let result = try DetectionEvaluation.run(model, loader: test)
        var metrics = try result.metrics(scoreThreshold: options.scoreThreshold)
        let counts = result.counts(scoreThreshold: options.scoreThreshold)
        metrics["count_mae"] = counts.isEmpty ? .nan : Double(counts.map { abs($0.truth - $0.found) }.reduce(0, +)) / Double(counts.count)
        let testMetrics = Dictionary(uniqueKeysWithValues: metrics.map { ("test_\($0.key)", $0.value) })

        try result.detectionsTable().write(to: "\(folder)/detections.csv")
        try AtomicFile.write(result.cocoResults(), to: "\(folder)/detections_coco.json")
        try AtomicFile.write(result.cocoGroundTruth(classes: options.classes, width: source.imageSize, height: source.imageSize),
                             to: "\(folder)/ground_truth_coco.json")
        let json = try JSONSerialization.data(withJSONObject: testMetrics.mapValues { $0.isFinite ? $0 as Any : NSNull() },
                                              options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write(json, to: "\(folder)/test_metrics.json")

        var report = RunReport(experiment: experiment)
        report.addRunSummary(data: source.summary, model: "Faster R-CNN on \(type(of: model.backbone)) (\(model.parameterCount) parameters)",
                             history: trained.state.history, stopReason: trained.state.stopReason,
                             seconds: Date().timeIntervalSince(started), testMetrics: testMetrics)
        try report.addTrainingCurves(history: trained.state.history)
        try DetectionReport(result: result, options: options, dataset: source.dataset, indices: source.test).add(to: &report)
        for f in ["detections.csv", "detections_coco.json", "ground_truth_coco.json", "test_metrics.json"] { report.addFile(f) }
        let files = try report.write(describingFiles: "detections.csv (id_str,label,score,x_min,y_min,x_max,y_max in image pixels), detections_coco.json and ground_truth_coco.json (COCO results and ground truth; image_id is the position in the test split), test_metrics.json, metrics.csv, checkpoints/best.safetensors, config.yaml")
        let headline = String(format: "%@: AP50 %.3f, COCO AP %.3f, completeness %.3f, purity %.3f at score ≥ %.2f\nreport: %@/report.html",
                              experiment.config.name, metrics["ap50"] ?? .nan, metrics["coco_ap"] ?? .nan, metrics["completeness"] ?? .nan,
                              metrics["purity"] ?? .nan, options.scoreThreshold, folder)
        return RunSummary(metrics: testMetrics, files: files, headline: headline)
    }

    func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
}
