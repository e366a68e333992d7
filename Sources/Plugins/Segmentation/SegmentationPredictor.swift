import Foundation
import Framework

/// `zoorun predict` for segmentation runs: the masks of every galaxy in a catalog, always,
/// and their scores where the catalog has `<name>_mask_loc` columns.
public enum SegmentationPredictor {
    public static let taskKinds = [SegmentationComponent.kind]

    /// The run's experiment rebuilt from its resolved `config.yaml`, without its pretrained
    /// encoder weights (the checkpoint has them).
    public static func experiment(runFolder: String, registry: Registry) throws -> Experiment {
        let config = "\(runFolder)/config.yaml"
        guard FileManager.default.fileExists(atPath: config) else {
            throw ConfigError(file: config, message: "the run's resolved config is missing; pass a run folder written by `zoorun run`")
        }
        let scratch = NSTemporaryDirectory() + "/zoorun-predict-\(getpid())"
        let plain = try Experiment.load(path: config, registry: registry, runFolder: scratch)
        guard plain.config.backbone != nil else { return plain }
        return try Experiment.load(path: config, overrides: ["backbone.pretrained=none"], registry: registry, runFolder: scratch)
    }

    /// Predicts `catalog` with the weights of `checkpoint`, writing `out/masks/…png`, and
    /// `out/mask_metrics.csv` and `out/metrics.json` when the catalog has truth masks.
    /// Returns the lines to print.
    public static func predict(experiment: Experiment, checkpoint: String, catalog path: String, out: String,
                               tta group: TestTimeAugmentation.Group?) throws -> [String] {
        let taskNode = experiment.config.task
        guard taskKinds.contains(taskNode.string("kind") ?? "") else {
            throw ConfigError(file: experiment.source.file, message: "not a segmentation run (task kind '\(taskNode.string("kind") ?? "")')")
        }
        var options = try taskNode.decodeOptions(SegmentationComponent.Options.self)
        options.gallery = 0
        options.saveMasks = true
        let table = try CSVTable.read(path: path)
        let truth = Set(options.truthNames + options.softTruthNames).filter { table.header.contains("\($0)_mask_loc") }.sorted()
        let size = trainedImageSize(experiment)
        let dataset = try MaskedCatalog(CatalogDataset(catalog: path, options: CatalogOptions(imageSize: size)), masks: truth)
        guard dataset.count > 0 else { throw DataError.emptyCatalog(catalog: path) }

        var context = experiment.context()
        context.inChannels = try dataset.example(at: 0).image.channels
        var rng = RandomGenerator(seed: experiment.config.seed)
        let network = try SegmentationTask.makeNetwork(options, experiment: experiment, context: &context, rng: &rng)
        let normalize = experiment.config.data.string("normalize") == "true"
        let model = SegmentationModel(network: network, classes: options.masks, weights: options.weights, loss: options.loss,
                                      inputNorm: normalize ? InputNormalization(channels: context.inChannels) : nil)
        try Checkpoint.load(from: checkpoint, model: model, optimizer: nil)

        let tta = try group.map { try TestTimeAugmentation(group: $0) }
        let outputs = try SegmentationOutputs.predict(model: model, dataset: dataset, indices: Array(0..<dataset.count), options: options,
                                                      loaderOptions: DataLoaderOptions(batchSize: 16, shuffle: false), tta: tta,
                                                      log: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        _ = try outputs.writeMasks(to: out, options: options)
        var lines = ["wrote \(dataset.count * options.masks.count) masks of \(options.masks.joined(separator: ", ")) to \(out)/masks/"]
        if truth.isEmpty {
            lines.append("the catalog has no \(options.truthNames.map { "\($0)_mask_loc" }.joined(separator: " or ")) column: masks predicted, not scored")
        } else {
            let metrics = outputs.scores.metrics
            try SegmentationOutputs.writeMetricsJSON(metrics, to: "\(out)/metrics.json")
            let shown = ["iou_50", "dice_50", "soft_dice", "pixel_auc"].compactMap { k in metrics[k].map { "\(k) \(String(format: "%.3f", $0))" } }
            lines.append("scored against \(truth.joined(separator: ", ")): \(shown.joined(separator: ", ")); per galaxy in \(out)/mask_metrics.csv")
        }
        return lines
    }

    /// The image side the run trained on (`data.image_size`, the simulator's, or 64).
    static func trainedImageSize(_ e: Experiment) -> Int {
        Int(e.config.data.string("image_size") ?? "") ?? Int(e.config.data.node["simulator"]?["image_size"]?.string ?? "") ?? 64
    }
}
