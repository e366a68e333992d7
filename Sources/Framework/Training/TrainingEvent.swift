/// What the training loop announces; callbacks react to these and never edit the loop.
public enum TrainingEvent: Sendable, Equatable {
    case fitStart
    case epochStart(epoch: Int)
    case batchStart(epoch: Int, batch: Int)
    case batchEnd(epoch: Int, batch: Int, loss: Double)
    /// After validation: the epoch's metrics are in `TrainerState.epochMetrics`.
    case epochEnd(epoch: Int)
    case fitEnd
}
