/// What `zoorun predict` and `zoorun embed` do with a trained run of a task kind. A task
/// plugin registers one (`registry.register(predictor:plugin:)`); the Runner finds it by the
/// run's `task.kind`, so no command names a plugin.
public protocol RunPredictor {
    /// The task kinds whose runs this predictor reloads.
    static var taskKinds: [String] { get }
    /// Predicts every galaxy of `request.catalog` into `request.out` (a file or a folder, as
    /// the task's outputs need); returns lines to print (what was written, metrics).
    static func predict(_ request: PredictionRequest) throws -> [String]
    /// The run's trained encoder with the input handling it trained with, for `zoorun embed`;
    /// nil when the task has none.
    static func embedder(_ run: RunFolder) throws -> (any Embedder)?
    /// Whether `request.out` is a folder (claimed as an `OutputFolder`) rather than one file.
    static var writesFolder: Bool { get }
}

extension RunPredictor {
    public static func embedder(_ run: RunFolder) throws -> (any Embedder)? { nil }
    public static var writesFolder: Bool { false }
}

/// One `zoorun predict` call.
public struct PredictionRequest {
    public var run: RunFolder
    /// The catalog CSV to predict (id_str, file_loc, and labels, masks or boxes where known).
    public var catalog: String
    /// Where to write: a CSV for per-galaxy outputs, a folder for masks or detections.
    public var out: String
    /// MC-dropout passes (1 = deterministic evaluation).
    public var mcSamples: Int
    public var tta: TestTimeAugmentation.Group?
    /// Label columns to score, where the task reads labels (empty: the run's own).
    public var labels: [String]

    public init(run: RunFolder, catalog: String, out: String, mcSamples: Int = 1,
                tta: TestTimeAugmentation.Group? = nil, labels: [String] = []) {
        self.run = run
        self.catalog = catalog
        self.out = out
        self.mcSamples = mcSamples
        self.tta = tta
        self.labels = labels
    }
}

/// A task that advances in steps between runs of the command (`zoorun loop`): the volunteer
/// loop's predict → queue → import → retrain.
public protocol SteppedTask: ExperimentTask {
    /// Advances as far as possible, importing `importing` (a file of answers) first if given;
    /// returns lines to print.
    func advance(_ experiment: Experiment, importing: String?) throws -> [String]
}

extension Registry {
    /// Registers what reloads runs of the predictor's task kinds.
    public func register<P: RunPredictor>(predictor: P.Type, plugin: String) {
        for kind in P.taskKinds {
            precondition(predictors[kind] == nil, "Registry: a predictor for task '\(kind)' is registered twice")
            predictors[kind] = (predictor, plugin)
        }
    }

    /// The predictor for a run's task, or an error saying which tasks have one.
    public func predictor(for run: RunFolder) throws -> any RunPredictor.Type {
        guard let entry = predictors[run.taskKind] else {
            let known = predictors.keys.sorted().joined(separator: ", ")
            throw ConfigError(file: "\(run.folder)/config.yaml",
                              message: "runs of task '\(run.taskKind)' cannot be reloaded for prediction; tasks that can: \(known)")
        }
        return entry.predictor
    }
}
