import Foundation

/// A finished run found from a path: its folder, the checkpoint to load and the experiment
/// rebuilt from the resolved `config.yaml` it left. Every task's reloading starts here, so
/// `zoorun predict` and `zoorun embed` treat all runs alike.
public struct RunFolder {
    /// The run folder (holding config.yaml and checkpoints/).
    public let folder: String
    /// The checkpoint file to load: `checkpoints/best.safetensors` unless a file was given.
    public let checkpoint: String
    /// The experiment as it ran, rebuilt without loading the original pretrained weights
    /// (`backbone.pretrained=none`: the checkpoint holds every trained weight).
    public let experiment: Experiment
    public let registry: Registry

    /// - Parameter path: a run folder, or a checkpoint file inside a run folder's `checkpoints/`
    ///   (or beside its config.yaml).
    public init(path: String, registry: Registry) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw ConfigError(file: path, message: "no such run folder or checkpoint")
        }
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
        var overrides: [String] = []
        if let node = try? ConfigDecoder.parse(String(contentsOfFile: configPath, encoding: .utf8), file: configPath),
           case let .mapping(m) = node, m["backbone"] != nil {
            overrides = ["backbone.pretrained=none"]
        }
        experiment = try Experiment.load(path: configPath, overrides: overrides, registry: registry,
                                         runFolder: NSTemporaryDirectory() + "/zoorun-reload-\(getpid())")
        self.registry = registry
    }

    /// The run's task kind (`finetune`, `segmentation`, …).
    public var taskKind: String { experiment.config.task.string("kind") ?? "" }

    /// The image side the run trained on: `data.image_size`, else the simulator's, else 64.
    public var imageSize: Int {
        let data = experiment.config.data
        return Int(data.string("image_size") ?? "") ?? Int(data.node["simulator"]?["image_size"]?.string ?? "") ?? 64
    }

    /// Fails unless the checkpoint file exists, naming it.
    public func requireCheckpoint() throws {
        guard FileManager.default.fileExists(atPath: checkpoint) else {
            throw ConfigError(file: checkpoint, message: "the run has no checkpoint here; did its training finish?")
        }
    }
}
