import Foundation
import Yams

/// A loaded experiment ready to run: its config, where it came from, the registry, and the
/// run folder it writes to.
public final class Experiment {
    public let config: ExperimentConfig
    /// The YAML tree after `--set` overrides (saved as the resolved config).
    public let node: Node
    public let source: ConfigSource
    public let registry: Registry
    /// Where outputs go (`runs/<name>` unless `--out`).
    public let runFolder: String
    /// Continue from the run folder's last checkpoint.
    public let resume: Bool
    public let cancellation: CancellationFlag
    /// Callbacks added to every training loop this experiment runs (after the task's own):
    /// for tools that watch a run, and for tests that interrupt one.
    public var extraCallbacks: [TrainingCallback] = []
    /// The experiment file's folder, against which relative paths resolve.
    public var baseFolder: String { (source.file as NSString).deletingLastPathComponent }

    public init(config: ExperimentConfig, node: Node, source: ConfigSource, registry: Registry, runFolder: String,
                resume: Bool = false, cancellation: CancellationFlag = CancellationFlag()) {
        self.config = config
        self.node = node
        self.source = source
        self.registry = registry
        self.runFolder = runFolder
        self.resume = resume
        self.cancellation = cancellation
    }

    /// Reads and strictly decodes an experiment file with overrides applied.
    public static func load(path: String, overrides: [String] = [], registry: Registry, runFolder: String? = nil,
                            resume: Bool = false, cancellation: CancellationFlag = CancellationFlag()) throws -> Experiment {
        let (experiment, unknown) = try read(path: path, overrides: overrides, registry: registry, runFolder: runFolder,
                                             resume: resume, cancellation: cancellation)
        try ConfigErrors.throwIfAny(unknown)
        return experiment
    }

    /// As `load`, then checks every section without building anything (unknown kinds and
    /// keys, types, ranges, missing weights files) and throws all the errors found together,
    /// each as file:line:col, so one problem does not hide the next (`zoorun validate`).
    public static func check(path: String, overrides: [String] = [], registry: Registry,
                             runFolder: String? = nil) throws -> Experiment {
        let (experiment, unknown) = try read(path: path, overrides: overrides, registry: registry, runFolder: runFolder,
                                             resume: false, cancellation: CancellationFlag())
        try ConfigErrors.throwIfAny(unknown + registry.check(experiment.config, context: experiment.context()))
        return experiment
    }

    /// The experiment and the unknown keys of its top level.
    static func read(path: String, overrides: [String], registry: Registry, runFolder: String?,
                     resume: Bool, cancellation: CancellationFlag) throws -> (Experiment, [ConfigError]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, message: "cannot read the experiment file (does it exist?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, message: "the file is not UTF-8 text")
        }
        let source = ConfigSource(file: path, text: text)
        let node = try ConfigOverrides.apply(overrides, to: ConfigDecoder.parse(text, file: path))
        var (config, unknown) = try ConfigDecoder(source: source).decodeCollecting(
            ExperimentConfig.self, from: node, ignoring: registry.pluginSectionKeys)
        if case let .mapping(m) = node {
            for key in registry.pluginSectionKeys {
                guard let section = m[key] else { continue }
                config.sections[key] = ConfigNode(node: section, source: source, codingPath: [NameKey(key)])
            }
        }
        let folder = runFolder ?? "runs/\(config.name)"
        return (Experiment(config: config, node: node, source: source, registry: registry, runFolder: folder,
                           resume: resume, cancellation: cancellation), unknown)
    }

    /// A context for building this experiment's components.
    public func context() -> ComponentContext {
        ComponentContext(seed: config.seed, runFolder: runFolder, registry: registry, baseFolder: baseFolder)
    }

    /// Resolves a path from the config against the experiment file's folder.
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : (baseFolder as NSString).appendingPathComponent(path)
    }

    /// Writes the resolved configuration (after overrides) into the run folder.
    public func saveResolvedConfig() throws {
        try FileManager.default.createDirectory(atPath: runFolder, withIntermediateDirectories: true)
        try AtomicFile.write(Yams.serialize(node: node), to: "\(runFolder)/config.yaml")
    }
}
