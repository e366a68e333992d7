/// Saves `last` after every epoch and `best` when the monitored metric (default
/// `val_loss`) improves. Saving is the task's closure (weights, optimizer state, history),
/// which must write atomically; a NaN loss throws before any save, so the last good
/// checkpoint stays.
public final class CheckpointSaver: TrainingCallback {
    public let monitor: String
    let save: (_ kind: Kind, _ state: TrainerState) throws -> Void

    public enum Kind: String { case last, best }

    public init(monitor: String = "val_loss", save: @escaping (_ kind: Kind, _ state: TrainerState) throws -> Void) {
        self.monitor = monitor
        self.save = save
    }

    public func on(_ event: TrainingEvent, state: TrainerState) throws {
        guard case .epochEnd = event else { return }
        let values = state.history.compactMap { $0[monitor] }
        if let current = state.epochMetrics[monitor], current == values.min() {
            try save(.best, state)
        } else if state.epochMetrics[monitor] == nil && state.history.count == 1 {
            try save(.best, state)
        }
        try save(.last, state)
    }
}
