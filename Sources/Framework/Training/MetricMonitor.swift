/// A metric that training watches, and which way is better: best-checkpoint selection, the
/// in-memory best weights and early stopping all read the history through it, so they agree
/// on which epoch was best.
public struct MetricMonitor: Sendable, Equatable {
    public enum Mode: String, ConfigEnum, Codable, Sendable {
        /// Lower is better (losses, MAD).
        case min
        /// Higher is better (accuracy, AUC, Dice).
        case max
    }

    public var metric: String
    public var mode: Mode

    public init(_ metric: String = "val_loss", mode: Mode = .min) {
        self.metric = metric
        self.mode = mode
    }

    /// Whether `a` beats `b` by more than `delta`. NaN never beats anything.
    public func isBetter(_ a: Double, than b: Double, by delta: Double = 0) -> Bool {
        guard !a.isNaN else { return false }
        if b.isNaN { return true }
        return mode == .min ? a < b - delta : a > b + delta
    }

    /// The 0-based position in `history` of the best epoch: the latest of equally good ones,
    /// so that a tie moves the best checkpoint forward as a `>=` comparison would. Nil when no
    /// epoch has a (non-NaN) value.
    public func bestEpoch(in history: [[String: Double]]) -> Int? {
        var best: (index: Int, value: Double)? = nil
        for (i, row) in history.enumerated() {
            guard let v = row[metric], !v.isNaN else { continue }
            if best == nil || !isBetter(best!.value, than: v) { best = (i, v) }
        }
        return best?.index
    }

    /// Whether the history's last epoch is its best.
    public func lastIsBest(_ history: [[String: Double]]) -> Bool {
        guard !history.isEmpty else { return false }
        return bestEpoch(in: history) == history.count - 1
    }

    /// Epochs since the best, where a new best must beat the previous one by `delta`, and
    /// the best value; nil when no epoch has a value.
    public func epochsSinceImprovement(_ history: [[String: Double]], delta: Double) -> (count: Int, best: Double)? {
        let values = history.compactMap { $0[metric] }.filter { !$0.isNaN }
        guard var best = values.first else { return nil }
        var since = 0
        for v in values.dropFirst() {
            if isBetter(v, than: best, by: delta) { best = v; since = 0 } else { since += 1 }
        }
        return (since, best)
    }
}
