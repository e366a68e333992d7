import Framework

/// `task: {kind: volunteer-loop}` — the Galaxy Zoo weekly loop (`zoorun loop FILE.yaml`):
/// predict the pool, queue what the model cannot answer confidently for volunteers, import
/// their labels (or vote counts, for a vote-tree head), retrain, keep the new model only if it
/// validates as well or better.
public enum VolunteerLoopComponent: TaskComponent {
    public static let kind = "volunteer-loop"
    public static let summary = "Weekly volunteer loop: predict the pool, queue unconfident galaxies, import labels, retrain, accept if not worse"

    /// Which galaxies go to volunteers.
    public enum Rule: String, ConfigEnum, Codable, Sendable {
        /// Galaxy Zoo HSC: the predicted probability (vote-tree heads: the expected vote
        /// fraction) of `confident_class` is below `threshold` ("not confidently smooth").
        case notConfidentlyClass = "not-confidently-class"
        /// The largest predicted class probability (vote-tree heads: the largest expected vote
        /// fraction among the answers of `confident_class`'s question) is below `threshold`.
        case notConfident = "not-confident"
        /// Every unlabelled galaxy (ordering by acquisition score alone).
        case all
    }

    public struct Options: ComponentOptions {
        /// MC-dropout passes over the pool.
        public var mcSamples = 5
        public var rule = Rule.notConfidentlyClass
        /// The class whose confident prediction spares a galaxy from volunteers (default: the
        /// head's first class); for vote-tree heads a `question_answer` column (default
        /// `smooth-or-featured_smooth` when the tree has it, else its first answer).
        public var confidentClass: String?
        public var threshold = 0.8
        /// At most this many galaxies per queue (nil: all routed galaxies).
        public var queueSize: Int?
        /// Validation metric deciding acceptance: a head metric (accuracy,
        /// mean_vote_fraction_mad, …) or loss. Default: accuracy for classifiers, loss (the
        /// Dirichlet-multinomial) for vote trees. Lower is better for `…loss` and `…mad`.
        public var metric: String?
        /// Vote-tree heads: volunteers expected at the root, N of vote-tree BALD.
        public var expectedVotes = 40.0

        public init() {}

        enum CodingKeys: String, CodingKey {
            case rule, threshold, metric
            case mcSamples = "mc_samples", confidentClass = "confident_class", queueSize = "queue_size"
            case expectedVotes = "expected_votes"
        }

        public func validate() throws {
            if mcSamples < 1 { throw ConfigError(file: "task", message: "mc_samples must be ≥ 1") }
            if !(threshold > 0 && threshold <= 1) { throw ConfigError(file: "task", message: "threshold must be in (0, 1]") }
            if let q = queueSize, q < 1 { throw ConfigError(file: "task", message: "queue_size must be ≥ 1") }
            if !(expectedVotes > 0 && expectedVotes.isFinite) { throw ConfigError(file: "task", message: "expected_votes must be > 0") }
        }
    }

    public static func make(options: Options, context: ComponentContext) throws -> any ExperimentTask {
        VolunteerLoopTask(options: options)
    }
}

/// `zoorun loop` advances the loop, importing answers first if given; `zoorun run` on a loop
/// file advances it without importing.
struct VolunteerLoopTask: SteppedTask {
    let options: VolunteerLoopComponent.Options

    func validate(_ experiment: Experiment) throws -> [String] {
        let loop = try VolunteerLoop(experiment: experiment, options: options)
        return [loop.source.summary, "pool: \(loop.pool.count) galaxies without initial labels",
                "validation: \(loop.source.val.count) galaxies, metric \(loop.metric)"]
    }

    func advance(_ experiment: Experiment, importing: String?) throws -> [String] {
        try VolunteerLoop(experiment: experiment, options: options).advance(importing: importing).lines
    }

    func run(_ experiment: Experiment) throws -> RunSummary {
        let loop = try VolunteerLoop(experiment: experiment, options: options)
        let report = try loop.advance(importing: nil)
        return RunSummary(metrics: report.metrics, files: report.files, headline: report.lines.joined(separator: "\n"))
    }
}
