import Foundation
import Framework

/// `zoorun predict` for detection runs: the trained detector on every galaxy of a catalog,
/// written to a folder as `detections.csv` and `detections_coco.json`. Where a `boxes.csv`
/// (the format `zoorun simulate --catalog` writes) sits beside the catalog, the detections
/// are also scored against it. Boxes are in the pixels of the images as the run saw them
/// (resized to its image size).
public enum DetectionPredictor: RunPredictor {
    public static let taskKinds = [DetectionComponent.kind]
    public static let writesFolder = true

    /// The run's detector with its trained weights.
    public static func model(_ run: RunFolder) throws -> (FasterRCNN, DetectionComponent.Options) {
        let e = run.experiment
        let options = try e.config.task.decodeOptions(DetectionComponent.Options.self)
        var context = e.context()
        context.inChannels = 3
        guard let node = e.config.backbone else {
            throw ConfigError(file: "\(run.folder)/config.yaml", message: "the run has no backbone section")
        }
        let backbone: any Backbone = try run.registry.make(.backbone, from: node, context: context)
        context.describe(backbone)
        // The training statistics come from the checkpoint's `input_norm` buffers.
        let normalize = e.config.data.string("normalize") == "true"
        var rng = RandomGenerator(seed: e.config.seed)
        let model = try FasterRCNN(backbone: backbone, context: context, options: options,
                                   inputNorm: normalize ? InputNormalization(channels: context.inChannels) : nil, rng: &rng)
        try run.requireCheckpoint()
        try Checkpoint.load(from: run.checkpoint, model: model, optimizer: nil)
        return (model, options)
    }

    public static func predict(_ request: PredictionRequest) throws -> [String] {
        let (model, options) = try model(request.run)
        let folder = (request.catalog as NSString).deletingLastPathComponent
        let boxFile = FileManager.default.fileExists(atPath: "\(folder.isEmpty ? "." : folder)/boxes.csv") ? "boxes.csv" : nil
        let catalog = try CatalogDataset(catalog: request.catalog, options: CatalogOptions(boxes: boxFile, imageSize: request.run.imageSize))
        let loader = try DataLoader(dataset: catalog, options: DataLoaderOptions(batchSize: 16, shuffle: false), maskNames: [])
        let result = try DetectionEvaluation.run(model, loader: loader)
        try FileManager.default.createDirectory(atPath: request.out, withIntermediateDirectories: true)
        try result.detectionsTable().write(to: "\(request.out)/detections.csv")
        try AtomicFile.write(result.cocoResults(), to: "\(request.out)/detections_coco.json")
        let found = result.detections.joined().filter { $0.score >= options.scoreThreshold }.count
        var lines = ["wrote \(request.out)/detections.csv and detections_coco.json: \(result.ids.count) galaxies, \(found) detections scoring ≥ \(options.scoreThreshold)"]
        if boxFile != nil, result.truth.contains(where: { !$0.isEmpty }) {
            let m = try result.metrics(scoreThreshold: options.scoreThreshold)
            lines.append("  scored against boxes.csv (\(result.truth.joined().count) true boxes):")
            lines += ["ap50", "coco_ap", "completeness", "purity"].map { "  \($0): \(String(format: "%.4f", m[$0] ?? .nan))" }
        }
        return lines
    }
}
