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
        try self.init(RunFolder(path: path, registry: registry))
    }

    public init(_ run: RunFolder) throws {
        let e = run.experiment, registry = run.registry
        let configPath = "\(run.folder)/config.yaml"
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
        try run.requireCheckpoint()
        try Checkpoint.load(from: run.checkpoint, model: model, optimizer: nil)
        experiment = e
        imageSize = run.imageSize
    }
}
