import Foundation

/// The training loop: epochs of batches, an optimizer step per batch, validation per epoch,
/// and events for callbacks. Everything else (logging, progress, checkpoints, early
/// stopping) is a callback.
///
/// The loop is generic over the batch type and takes the task's closures: `loss` maps a
/// batch to the per-example losses on the tape; `validate` returns the epoch's validation
/// metrics (including `val_loss`). Randomness must be a function of (seed, epoch, batch) so
/// that a resumed run repeats an uninterrupted one exactly.
public final class Trainer<Batch> {
    public let model: Module
    public let optimizer: Optimizer
    public var schedule: LearningRateSchedule?
    /// Clip the global gradient norm to this value, if set.
    public var clipGradientNorm: Float?
    public var callbacks: [TrainingCallback] = []
    /// Checked between batches; set from a signal handler to stop cleanly.
    public let cancellation: CancellationFlag

    public init(model: Module, optimizer: Optimizer, schedule: LearningRateSchedule? = nil,
                clipGradientNorm: Float? = nil, cancellation: CancellationFlag = CancellationFlag()) {
        self.model = model
        self.optimizer = optimizer
        self.schedule = schedule
        self.clipGradientNorm = clipGradientNorm
        self.cancellation = cancellation
    }

    /// Trains from `startEpoch` (0, or the epoch after a resumed checkpoint) to `epochs`.
    /// - Parameters:
    ///   - history: metrics of epochs already done (from a checkpoint), so callbacks such as
    ///     early stopping and the metrics log continue where they were.
    ///   - batches: for an epoch, a function that returns its next batch (nil at the end);
    ///     a data loader's epoch, or any sequence's iterator.
    ///   - loss: per-example losses of a batch (on the tape); the loop takes their mean.
    ///   - validate: validation metrics after an epoch (must include `val_loss` for early
    ///     stopping and best-checkpoint selection).
    @discardableResult
    public func fit(epochs: Int, startEpoch: Int = 0, history: [[String: Double]] = [],
                    batchesPerEpoch: Int? = nil,
                    batches: (Int) throws -> () throws -> Batch?,
                    loss: (Batch) throws -> Tensor,
                    validate: (Int) throws -> [String: Double]) throws -> TrainerState {
        let state = TrainerState(epochs: epochs, batchesPerEpoch: batchesPerEpoch)
        state.history = history
        state.globalStep = optimizer.stepCount
        try emit(.fitStart, state)
        var epoch = startEpoch
        while epoch < epochs && !state.stopRequested {
            state.epoch = epoch
            state.batch = 0
            state.runningLoss = 0
            model.train()
            try emit(.epochStart(epoch: epoch), state)
            var sum = 0.0, n = 0
            let next = try batches(epoch)
            while let batch = try next() {
                if cancellation.isSet { throw TrainingError.interrupted(epoch: epoch) }
                try emit(.batchStart(epoch: epoch, batch: state.batch), state)
                if let schedule {
                    optimizer.learningRateMultiplier = schedule.multiplier(atStep: optimizer.stepCount)
                    state.learningRateMultiplier = optimizer.learningRateMultiplier
                }
                optimizer.zeroGrad()
                let perExample = try loss(batch)
                let mean = try perExample.sum() * (1 / Float(max(1, perExample.count)))
                let value = Double(try mean.item())
                guard value.isFinite else {
                    throw TrainingError.nonFiniteLoss(epoch: epoch, batch: state.batch, loss: value)
                }
                try mean.backward()
                if let clip = clipGradientNorm {
                    GradientClipping.clipGlobalNorm(optimizer.groups.flatMap(\.parameters), maxNorm: clip)
                }
                optimizer.step()
                state.globalStep = optimizer.stepCount
                sum += value
                n += 1
                state.runningLoss = sum / Double(n)
                try emit(.batchEnd(epoch: epoch, batch: state.batch, loss: value), state)
                state.batch += 1
            }
            if cancellation.isSet { throw TrainingError.interrupted(epoch: epoch) }
            model.eval()
            var metrics = try GradMode.withoutGrad { try validate(epoch) }
            metrics["epoch"] = Double(epoch + 1)
            metrics["train_loss"] = n > 0 ? sum / Double(n) : .nan
            metrics["learning_rate_multiplier"] = Double(optimizer.learningRateMultiplier)
            state.epochMetrics = metrics
            state.history.append(metrics)
            try emit(.epochEnd(epoch: epoch), state)
            epoch += 1
        }
        try emit(.fitEnd, state)
        return state
    }

    func emit(_ event: TrainingEvent, _ state: TrainerState) throws {
        for c in callbacks { try c.on(event, state: state) }
    }
}

/// A flag that a signal handler may set and the loop polls.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    public init() {}
    public var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    public func set() { lock.lock(); value = true; lock.unlock() }
}
