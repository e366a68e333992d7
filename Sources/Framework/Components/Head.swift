/// A task head: maps a backbone's pooled representation to outputs, and knows its loss,
/// its predictions and its metrics. Heads are plugins (`HeadComponent`).
public protocol Head: Module {
    /// Names of the prediction columns: class names, `question_answer` vote fractions, or
    /// the regression target.
    var outputNames: [String] { get }
    /// Raw outputs (logits, concentrations' pre-activations, values) from [N, D].
    func callAsFunction(_ representation: Tensor) throws -> Tensor
    /// Per-example losses [N] of raw outputs against targets (the caller reduces).
    func loss(outputs: Tensor, targets: Targets) throws -> Tensor
    /// Predictions [N, outputNames.count] from raw outputs: class probabilities, expected
    /// vote fractions, or values.
    func predictions(outputs: Tensor) throws -> Tensor
    /// Metrics of predictions (averaged over MC passes when there are several) against
    /// targets, by name; `loss` is added by the caller.
    func metrics(predictions: [[Float]], targets: Targets) -> [String: Double]
    /// Whether examples without the head's target must be left out (e.g. an unlabelled
    /// galaxy in a classification set).
    func hasTarget(_ targets: Targets, at index: Int) -> Bool
    /// The head's own sections of the run report (confusion matrix, ROC, per-question
    /// tables, scatter of predicted against true, galleries); the default adds none.
    func addReportSections(_ results: HeadTestResults, to report: inout RunReport) throws
    /// The scalar label columns this head reads (`predict` scores them when a catalog has them).
    var labelColumns: [String] { get }
    /// Why a present `value` in label `column` cannot be this head's target (a class index
    /// out of range, NaN, …), or nil when it can or the column is not this head's.
    func labelProblem(_ value: Float, column: String) -> String?
}

extension Head {
    public func addReportSections(_ results: HeadTestResults, to report: inout RunReport) throws {}
    public var labelColumns: [String] { [] }
    public func labelProblem(_ value: Float, column: String) -> String? { nil }
}

/// A test pass as a head's report sections see it.
public struct HeadTestResults {
    /// Mean predictions per example (over MC passes and TTA), `outputNames` columns.
    public var predictions: [[Float]]
    public var targets: Targets
    /// Dataset indices of the rows.
    public var indices: [Int]
    /// The dataset, for galleries of test images.
    public var dataset: any Dataset

    public init(predictions: [[Float]], targets: Targets, indices: [Int], dataset: any Dataset) {
        self.predictions = predictions
        self.targets = targets
        self.indices = indices
        self.dataset = dataset
    }
}

/// A head plugin: `kind:` + options → a `Head` sized for the representation width
/// (`context.inputWidth`).
public protocol HeadComponent: Component {
    static func make(options: Options, context: ComponentContext) throws -> any Head
}

extension Registry {
    /// Registers a head plugin.
    public func register<H: HeadComponent>(head: H.Type, plugin: String) {
        add(.head, kind: H.kind, summary: H.summary, options: H.Options.self, plugin: plugin) {
            try H.make(options: $0, context: $1)
        }
    }
}
