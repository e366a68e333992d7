/// Stops training when a monitored metric (default `val_loss`, lower is better) has not
/// improved by `minDelta` for `patience` epochs. Reads the history, so it behaves the same
/// after a resume.
public final class EarlyStopping: TrainingCallback {
    public let monitor: MetricMonitor
    public let patience: Int
    public let minDelta: Double

    public init(monitor: MetricMonitor = MetricMonitor(), patience: Int, minDelta: Double = 0) {
        self.monitor = monitor
        self.patience = patience
        self.minDelta = minDelta
    }

    public func on(_ event: TrainingEvent, state: TrainerState) throws {
        guard case .epochEnd = event,
              let (since, best) = monitor.epochsSinceImprovement(state.history, delta: minDelta) else { return }
        if since >= patience {
            state.stopRequested = true
            state.stopReason = "early stopping: \(monitor.metric) has not improved for \(patience) epochs (best \(best))"
        }
    }
}
