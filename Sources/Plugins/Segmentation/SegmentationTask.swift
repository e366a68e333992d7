import Foundation
import Framework

/// `task: {kind: segmentation}` — trains a mask network through the framework's one
/// supervised run, then predicts the test split (optionally with test-time augmentation),
/// scores it against the true masks, writes the masks as PNGs, a per-galaxy metrics CSV and
/// the report.
public struct SegmentationTask: ExperimentTask {
    public let options: SegmentationComponent.Options

    /// The data, the model and the training sections, built from the config.
    func build(_ experiment: Experiment) throws -> SegmentationSetup {
        var (source, made) = try experiment.makeDataSource()
        var context = made
        // A catalog's masks are its <name>_mask_loc columns.
        if let catalog = source.dataset as? CatalogDataset {
            let wanted = Set(options.masks + options.truthNames + options.softTruthNames)
            var reopened = catalog.options
            reopened.masks = wanted.filter { catalog.table.header.contains(CatalogDataset.maskColumn($0)) }.sorted()
            if reopened.masks != catalog.options.masks {
                source.dataset = try CatalogDataset(table: catalog.table, catalogPath: catalog.catalogPath, folder: catalog.folder,
                                                    options: reopened)
                source.maskNames = reopened.masks
            }
        }
        var rng = RandomGenerator(seed: experiment.config.seed &+ 0x5E6)
        let network = try Self.makeNetwork(options, experiment: experiment, context: &context, rng: &rng)
        let model = SegmentationModel(network: network, classes: options.masks, weights: options.weights, loss: options.loss,
                                      inputNorm: try source.normalizationStatistics().map(InputNormalization.init))
        let (training, augmentation) = try experiment.trainingSections()
        return SegmentationSetup(source: source, model: model, training: training, augmentation: augmentation)
    }

    /// The network of the `decoder:` section (a U-Net decoder on the backbone when there is
    /// none): on the `backbone:` section's encoder, or standalone (a backbone section is then
    /// an error, not ignored).
    static func makeNetwork(_ options: SegmentationComponent.Options, experiment: Experiment, context: inout ComponentContext,
                            rng: inout RandomGenerator) throws -> any MaskNetwork {
        let file = experiment.source.file
        let decoder: any MaskDecoder
        if let node = experiment.config.section("decoder") {
            guard let made = try experiment.registry.make(.decoder, from: node, context: context, as: Any.self) as? any MaskDecoder else {
                throw ConfigError(file: file, message: "decoder kind '\(node.string("kind") ?? "")' is not a segmentation decoder")
            }
            decoder = made
        } else {
            decoder = UNetDecoderComponent.Decoder(options: .init())
        }
        let kind = experiment.config.section("decoder")?.string("kind") ?? UNetDecoderComponent.kind
        var backbone: (any Backbone)? = nil
        if decoder.usesBackbone {
            backbone = try experiment.makeBackbone(context: &context, for: "a segmentation experiment with decoder kind '\(kind)'")
        } else if experiment.config.backbone != nil {
            throw ConfigError(file: file, message: "decoder kind '\(kind)' is a whole U-Net with its own encoder; remove the `backbone:` section or use decoder kind 'unet'")
        }
        return try decoder.network(backbone: backbone, context: context, classes: options.masks.count, rng: &rng)
    }

    public func validate(_ experiment: Experiment) throws -> [String] {
        let parts = try build(experiment)
        try checkMasks(parts.source, file: experiment.source.file)
        return [parts.source.summary, "masks: \(options.masks.joined(separator: ", ")) (loss \(options.loss.rawValue))",
                parts.model.network.summary,
                "training: \(parts.training.epochs) epochs, batch \(parts.training.batchSize), \(parts.training.trainingMode.rawValue)"]
    }

    /// Every trained mask must exist for some galaxy of the training split (a typo in a mask
    /// name would otherwise train nothing): the first galaxies are looked at.
    func checkMasks(_ source: DataSource, file: String) throws {
        var seen = Set<String>()
        for i in source.train.prefix(64) { seen.formUnion(try source.dataset.example(at: i).masks.keys) }
        let missing = options.masks.filter { !seen.contains($0) }
        guard missing.isEmpty else {
            throw ConfigError(file: file, message: "task.masks: no galaxy among the first \(min(64, source.train.count)) of the training split has a mask \(missing.map { "'\($0)'" }.joined(separator: ", ")); they have \(seen.sorted())")
        }
    }

    public func run(_ experiment: Experiment) throws -> RunSummary {
        let started = Date()
        let parts = try build(experiment)
        let (source, model) = (parts.source, parts.model)
        try checkMasks(source, file: experiment.source.file)
        let folder = experiment.runFolder
        log("zoorun: \(experiment.config.name): \(source.summary)")
        log("zoorun: \(model.network.summary); masks \(options.masks); writing to \(folder)")

        var run = SupervisedRun(training: parts.training, seed: experiment.config.seed, folder: folder)
        run.resume = experiment.resume
        run.checkpointInfo = checkpointInfo(experiment)
        run.cancellation = experiment.cancellation
        run.callbacks = experiment.extraCallbacks
        let trained = try run.fit(model, dataset: source.dataset, train: source.train, val: source.val,
                                  augmentation: parts.augmentation, maskNames: options.masks)

        var files = ["config.yaml", "metrics.jsonl", "metrics.csv", "checkpoints/best.safetensors", "checkpoints/last.safetensors"]
        var testMetrics: [String: Double] = [:]
        if !source.test.isEmpty {
            let tta = try options.tta.map { try TestTimeAugmentation(group: $0, handedness: parts.augmentation?.handedness ?? false) }
            let outputs = try SegmentationOutputs.predict(model: model, dataset: source.dataset, indices: source.test, options: options,
                                                          loaderOptions: run.evaluationLoaderOptions(), tta: tta, log: log)
            testMetrics = outputs.metrics.mapKeys { "test_\($0)" }
            files += try outputs.writeMasks(to: folder, options: options)
            var report = RunReport(experiment: experiment)
            report.addRunSummary(data: source.summary, model: model.network.summary, history: trained.state.history,
                                 stopReason: trained.state.stopReason, seconds: Date().timeIntervalSince(started), testMetrics: headline(testMetrics))
            try report.addTrainingCurves(history: trained.state.history)
            try outputs.addSections(to: &report, dataset: source.dataset, options: options,
                                    title: "Test split (\(outputs.predictions.count) galaxies\(tta.map { ", TTA \($0.group.rawValue)" } ?? ""))")
            files += try report.write(describingFiles: SegmentationOutputs.filesDescription)
        }
        try SegmentationOutputs.writeMetricsJSON(testMetrics, to: "\(folder)/test_metrics.json")
        files.append("test_metrics.json")
        let shown = headline(testMetrics).sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.3f", $0.value))" }
        return RunSummary(metrics: testMetrics, files: files,
                          headline: "\(experiment.config.name): \(shown.joined(separator: ", "))\nreport: \(folder)/report.html")
    }

    /// The class means of the headline metrics (the report table has every class).
    func headline(_ metrics: [String: Double]) -> [String: Double] {
        let means = ["iou_50", "dice_50", "iou_30", "dice_30", "soft_dice", "pixel_auc"].map { "test_\($0)" }
        return metrics.filter { means.contains($0.key) || $0.key.hasSuffix("_relative_error") }
    }

    func checkpointInfo(_ experiment: Experiment) -> [String: String] {
        var info = ["task": SegmentationComponent.kind, "outputs": options.masks.joined(separator: "\t"),
                    "experiment": experiment.config.name]
        if let text = try? String(contentsOfFile: "\(experiment.runFolder)/config.yaml", encoding: .utf8) { info["config"] = text }
        return info
    }

    func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
}

extension Dictionary where Key == String {
    func mapKeys(_ f: (String) -> String) -> [String: Value] { Dictionary(uniqueKeysWithValues: map { (f($0.key), $0.value) }) }
}
