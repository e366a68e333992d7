/// The loop's state as callbacks see it.
public final class TrainerState {
    /// Epochs to run in total (counting from 0).
    public let epochs: Int
    /// Batches per training epoch, when known.
    public let batchesPerEpoch: Int?
    public internal(set) var epoch = 0
    public internal(set) var batch = 0
    /// Optimizer steps since the start of training (across resumes).
    public internal(set) var globalStep = 0
    /// Mean training loss so far in this epoch.
    public internal(set) var runningLoss = 0.0
    /// Mean of each named loss part so far in this epoch.
    public internal(set) var runningParts: [String: Double] = [:]
    /// This epoch's metrics after `epochEnd`: `train_loss`, `val_loss` and task metrics.
    public internal(set) var epochMetrics: [String: Double] = [:]
    /// Every finished epoch's metrics, oldest first (restored on resume).
    public internal(set) var history: [[String: Double]] = []
    /// Set by a callback (early stopping) to end training after this epoch.
    public var stopRequested = false
    /// Why training stopped early, for the report.
    public var stopReason: String?
    /// The learning-rate multiplier in force.
    public internal(set) var learningRateMultiplier: Float = 1

    init(epochs: Int, batchesPerEpoch: Int?) {
        self.epochs = epochs
        self.batchesPerEpoch = batchesPerEpoch
    }
}
