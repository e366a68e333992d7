/// Keeps a copy of the weights of the best epoch by a monitored metric in memory, for runs
/// that write no checkpoint files (the rounds of an acquisition comparison).
public final class BestWeights: TrainingCallback {
    public let monitor: MetricMonitor
    let model: Module
    /// The best epoch's state dict and its metrics, once an epoch has ended.
    public private(set) var best: (state: [String: Tensor], metrics: [String: Double])?

    public init(model: Module, monitor: MetricMonitor = MetricMonitor()) {
        self.model = model
        self.monitor = monitor
    }

    public func on(_ event: TrainingEvent, state: TrainerState) throws {
        guard case .epochEnd = event else { return }
        if best == nil || monitor.lastIsBest(state.history) {
            best = (Dictionary(uniqueKeysWithValues: model.stateDict().map { ($0.name, $0.tensor.detached()) }), state.epochMetrics)
        }
    }
}
