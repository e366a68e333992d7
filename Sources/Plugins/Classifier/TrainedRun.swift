import Foundation
import Framework

/// A trained classifier reloaded from a run folder (or a checkpoint beside its
/// `config.yaml`): the model rebuilt from the resolved config, with the checkpoint's weights.
public struct TrainedRun {
    public let model: ClassifierModel
    public let experiment: Experiment
    /// The image side the model was trained on.
    public let imageSize: Int

    /// - Parameter path: a run folder (uses `checkpoints/best.safetensors`) or a checkpoint
    ///   file inside a run folder's `checkpoints/`.
    public init(path: String, registry: Registry) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw ConfigError(file: path, message: "no such run folder or checkpoint")
        }
        let checkpoint: String, folder: String
        if isDir.boolValue {
            folder = path
            checkpoint = "\(path)/checkpoints/best.safetensors"
        } else {
            checkpoint = path
            let dir = (path as NSString).deletingLastPathComponent
            folder = (dir as NSString).lastPathComponent == "checkpoints" ? (dir as NSString).deletingLastPathComponent : dir
        }
        let configPath = "\(folder)/config.yaml"
        guard FileManager.default.fileExists(atPath: configPath) else {
            throw ConfigError(file: configPath, message: "the run's resolved config is missing; pass a run folder written by `zoorun run`")
        }
        // Rebuild without downloading or reloading the original pretrained weights.
        let e = try Experiment.load(path: configPath, overrides: ["backbone.pretrained=none"], registry: registry,
                                    runFolder: NSTemporaryDirectory() + "/zoorun-predict-\(getpid())")
        var context = e.context()
        guard let backboneNode = e.config.backbone, let headNode = e.config.head else {
            throw ConfigError(file: configPath, message: "the run has no backbone or head section")
        }
        let backbone: any Backbone = try registry.make(.backbone, from: backboneNode, context: context)
        context.describe(backbone)
        let head: any Head = try registry.make(.head, from: headNode, context: context)
        // Statistics of the training images come from the checkpoint's `input_norm` buffers.
        let normalize = e.config.data.string("normalize") == "true"
        model = ClassifierModel(encoder: backbone, head: head,
                                inputNorm: normalize ? InputNormalization(channels: context.inChannels) : nil)
        try Checkpoint.load(from: checkpoint, model: model, optimizer: nil)
        experiment = e
        imageSize = Int(e.config.data.string("image_size") ?? "") ??
            Int((e.config.data.node["simulator"]?["image_size"]?.string) ?? "") ?? 64
    }
}
