/// What a task trains: a model that maps a batch to its loss (a total and its named parts)
/// and evaluates itself over a loader. `SupervisedRun` trains any `TaskModel`, so a new
/// task brings its model and reuses the run: loaders, optimizer, schedule, resume,
/// checkpoints, early stopping and the metrics log.
public protocol TaskModel: Module {
    /// The loss of a training batch, on the tape.
    func loss(_ batch: Batch) throws -> TaskLoss
    /// Validation metrics over a loader in evaluation mode, `loss` among them (the run logs
    /// them as `val_<name>`).
    func evaluate(_ loader: DataLoader) throws -> [String: Double]
    /// Parameter groups at `learningRate`; `layerDecay` < 1 lowers the rate block by block
    /// down the backbone (1 = one rate everywhere).
    func parameterGroups(learningRate: Float, layerDecay: Float, weightDecay: Float) -> [ParameterGroup]
    /// Freezes the pretrained part, weights and BatchNorm statistics (`training_mode: head_only`).
    func freezeBackbone()
}

/// A batch's loss: per-example totals [N] on the tape (the trainer averages and
/// differentiates them) and named parts for the log (`rpn_objectness`, `box_regression`, …,
/// each the batch mean of its term, detached).
public struct TaskLoss {
    public var total: Tensor
    public var parts: [String: Double]
    /// False when `total` repeats one batch-level loss for every example (a detector's),
    /// so per-example weights cannot apply and are refused rather than ignored.
    public var isPerExample: Bool

    public init(total: Tensor, parts: [String: Double] = [:], isPerExample: Bool = true) {
        self.total = total
        self.parts = parts
        self.isPerExample = isPerExample
    }
}
