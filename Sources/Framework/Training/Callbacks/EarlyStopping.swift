/// Stops training when a monitored metric (default `val_loss`, lower is better) has not
/// improved by `minDelta` for `patience` epochs. Reads the history, so it behaves the same
/// after a resume.
public final class EarlyStopping: TrainingCallback {
    public let monitor: String
    public let patience: Int
    public let minDelta: Double

    public init(monitor: String = "val_loss", patience: Int, minDelta: Double = 0) {
        self.monitor = monitor
        self.patience = patience
        self.minDelta = minDelta
    }

    public func on(_ event: TrainingEvent, state: TrainerState) throws {
        guard case .epochEnd = event else { return }
        let values = state.history.compactMap { $0[monitor] }
        guard !values.isEmpty else { return }
        // Epochs since the best, where "best" must beat earlier values by minDelta.
        var best = values[0], since = 0
        for v in values.dropFirst() {
            if v < best - minDelta { best = v; since = 0 } else { since += 1 }
        }
        if since >= patience {
            state.stopRequested = true
            state.stopReason = "early stopping: \(monitor) has not improved for \(patience) epochs (best \(best))"
        }
    }
}
