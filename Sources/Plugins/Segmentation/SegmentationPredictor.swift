import Foundation
import Framework

/// `zoorun predict` for segmentation runs: the masks of every galaxy in a catalog, always,
/// and their scores where the catalog has `<name>_mask_loc` columns.
public enum SegmentationPredictor: RunPredictor {
    public static let taskKinds = [SegmentationComponent.kind]
    public static let writesFolder = true

    public static func predict(_ request: PredictionRequest) throws -> [String] {
        try request.run.requireCheckpoint()
        return try predict(run: request.run, catalog: request.catalog, out: request.out, tta: request.tta)
    }

    /// Predicts `catalog` with the run's checkpoint, writing `out/masks/…png`, and
    /// `out/mask_metrics.csv` and `out/metrics.json` when the catalog has truth masks.
    /// Returns the lines to print.
    static func predict(run: RunFolder, catalog path: String, out: String, tta group: TestTimeAugmentation.Group?) throws -> [String] {
        let experiment = run.experiment
        let taskNode = experiment.config.task
        guard taskKinds.contains(taskNode.string("kind") ?? "") else {
            throw ConfigError(file: experiment.source.file, message: "not a segmentation run (task kind '\(taskNode.string("kind") ?? "")')")
        }
        var options = try taskNode.decodeOptions(SegmentationComponent.Options.self)
        options.gallery = 0
        options.saveMasks = true
        let table = try CSVTable.read(path: path)
        let truth = Set(options.truthNames + options.softTruthNames).filter { table.header.contains(CatalogDataset.maskColumn($0)) }.sorted()
        let dataset = try CatalogDataset(catalog: path, options: CatalogOptions(masks: truth, imageSize: run.imageSize))
        guard dataset.count > 0 else { throw DataError.emptyCatalog(catalog: path) }

        var context = experiment.context()
        context.inChannels = try dataset.example(at: 0).image.channels
        var rng = RandomGenerator(seed: experiment.config.seed)
        let network = try SegmentationTask.makeNetwork(options, experiment: experiment, context: &context, rng: &rng)
        let normalize = experiment.config.data.string("normalize") == "true"
        let model = SegmentationModel(network: network, classes: options.masks, weights: options.weights, loss: options.loss,
                                      inputNorm: normalize ? InputNormalization(channels: context.inChannels) : nil)
        try Checkpoint.load(from: run.checkpoint, model: model, optimizer: nil)

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
            let metrics = outputs.metrics
            try SegmentationOutputs.writeMetricsJSON(metrics, to: "\(out)/metrics.json")
            let shown = ["iou_50", "dice_50", "soft_dice", "pixel_auc"].compactMap { k in metrics[k].map { "\(k) \(String(format: "%.3f", $0))" } }
            lines.append("scored against \(truth.joined(separator: ", ")): \(shown.joined(separator: ", ")); per galaxy in \(out)/mask_metrics.csv")
        }
        return lines
    }
}
