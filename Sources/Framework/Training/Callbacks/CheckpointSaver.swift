/// Saves `last` after every epoch and `best` when the monitored metric (default
/// `val_loss`, lower is better) is the best so far. Saving is the task's closure (weights,
/// optimizer state, history), which must write atomically; a NaN loss throws before any
/// save, so the last good checkpoint stays.
public final class CheckpointSaver: TrainingCallback {
    public let monitor: MetricMonitor
    let save: (_ kind: Kind, _ state: TrainerState) throws -> Void

    public enum Kind: String { case last, best }

    public init(monitor: MetricMonitor = MetricMonitor(), save: @escaping (_ kind: Kind, _ state: TrainerState) throws -> Void) {
        self.monitor = monitor
        self.save = save
    }

    public func on(_ event: TrainingEvent, state: TrainerState) throws {
        guard case .epochEnd = event else { return }
        // Without the metric, the first epoch is the best there is.
        if monitor.lastIsBest(state.history) || (state.epochMetrics[monitor.metric] == nil && state.history.count == 1) {
            try save(.best, state)
        }
        try save(.last, state)
    }
}
