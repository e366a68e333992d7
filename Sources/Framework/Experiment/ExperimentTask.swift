/// What a task plugin builds from its options: something that checks and runs a whole
/// experiment (finetuning, vote-tree training, segmentation, …).
public protocol ExperimentTask {
    /// Builds every component and checks the data without training (`zoorun validate`).
    func validate(_ experiment: Experiment) throws -> [String]
    /// Runs the experiment, writing into `experiment.runFolder`.
    func run(_ experiment: Experiment) throws -> RunSummary
}

/// What a run leaves for the caller (sweeps aggregate `metrics`).
public struct RunSummary: Sendable {
    /// Final test metrics by name.
    public var metrics: [String: Double]
    /// Files written, relative to the run folder.
    public var files: [String]
    /// A one-paragraph human summary.
    public var headline: String

    public init(metrics: [String: Double], files: [String], headline: String) {
        self.metrics = metrics
        self.files = files
        self.headline = headline
    }
}

/// A task plugin: `kind:` + options → an `ExperimentTask`.
public protocol TaskComponent: Component {
    static func make(options: Options, context: ComponentContext) throws -> any ExperimentTask
}

extension Registry {
    /// Registers a task plugin.
    public func register<T: TaskComponent>(task: T.Type, plugin: String) {
        add(.task, kind: T.kind, summary: T.summary, options: T.Options.self, plugin: plugin) {
            try T.make(options: $0, context: $1)
        }
    }
}
