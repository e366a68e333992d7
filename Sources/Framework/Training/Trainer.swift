import Foundation

/// The training loop: epochs of batches, an optimizer step per batch, validation per epoch,
/// and events for callbacks. Everything else (logging, progress, checkpoints, early
/// stopping) is a callback.
///
/// The loop is generic over the batch type and takes the task's closures: `loss` maps a
/// batch to the per-example losses on the tape (or `step` does a custom update with several
/// optimizers); `validate` returns the epoch's validation metrics (including `val_loss`). Randomness must be a function of (seed, epoch, batch) so
/// that a resumed run repeats an uninterrupted one exactly.
public final class Trainer<Batch> {
    public let model: Module
    /// Every optimizer by name, in order; the first is the one the standard step uses and
    /// whose step count is the run's. Adversarial tasks pass several and step them in their
    /// own `step` closure; each one's state is checkpointed.
    public let optimizers: [(name: String, optimizer: Optimizer)]
    /// The first optimizer.
    public var optimizer: Optimizer { optimizers[0].optimizer }
    /// Scales every optimizer's learning rate.
    public var schedule: LearningRateSchedule?
    /// Clip the global gradient norm to this value, if set (standard step).
    public var clipGradientNorm: Float?
    public var callbacks: [TrainingCallback] = []
    /// Checked between batches; set from a signal handler to stop cleanly.
    public let cancellation: CancellationFlag

    public convenience init(model: Module, optimizer: Optimizer, schedule: LearningRateSchedule? = nil,
                            clipGradientNorm: Float? = nil, cancellation: CancellationFlag = CancellationFlag()) {
        self.init(model: model, optimizers: [("model", optimizer)], schedule: schedule,
                  clipGradientNorm: clipGradientNorm, cancellation: cancellation)
    }

    public init(model: Module, optimizers: [(name: String, optimizer: Optimizer)], schedule: LearningRateSchedule? = nil,
                clipGradientNorm: Float? = nil, cancellation: CancellationFlag = CancellationFlag()) {
        precondition(!optimizers.isEmpty, "a trainer needs at least one optimizer")
        self.model = model
        self.optimizers = optimizers
        self.schedule = schedule
        self.clipGradientNorm = clipGradientNorm
        self.cancellation = cancellation
    }

    /// Trains with per-example losses and no named parts (see the `TaskLoss` variant).
    @discardableResult
    public func fit(epochs: Int, startEpoch: Int = 0, history: [[String: Double]] = [],
                    batchesPerEpoch: Int? = nil,
                    batches: (Int) throws -> () throws -> Batch?,
                    loss: (Batch) throws -> Tensor,
                    validate: (Int) throws -> [String: Double]) throws -> TrainerState {
        try fit(epochs: epochs, startEpoch: startEpoch, history: history, batchesPerEpoch: batchesPerEpoch,
                batches: batches, loss: { TaskLoss(total: try loss($0)) }, validate: validate)
    }

    /// Trains from `startEpoch` (0, or the epoch after a resumed checkpoint) to `epochs`
    /// with the standard step: zero the gradients, average the batch's per-example losses,
    /// backpropagate, clip, step the first optimizer.
    /// - Parameters:
    ///   - history: metrics of epochs already done (from a checkpoint), so callbacks such as
    ///     early stopping and the metrics log continue where they were.
    ///   - batches: for an epoch, a function that returns its next batch (nil at the end);
    ///     a data loader's epoch, or any sequence's iterator.
    ///   - loss: the batch's per-example losses on the tape and their named parts; each part
    ///     is logged per epoch as `train_<part>`.
    ///   - validate: validation metrics after an epoch (must include `val_loss` for early
    ///     stopping and best-checkpoint selection).
    @discardableResult
    public func fit(epochs: Int, startEpoch: Int = 0, history: [[String: Double]] = [],
                    batchesPerEpoch: Int? = nil,
                    batches: (Int) throws -> () throws -> Batch?,
                    loss: (Batch) throws -> TaskLoss,
                    validate: (Int) throws -> [String: Double]) throws -> TrainerState {
        let optimizer = self.optimizer
        return try fit(epochs: epochs, startEpoch: startEpoch, history: history, batchesPerEpoch: batchesPerEpoch,
                       batches: batches, step: { batch in
            optimizer.zeroGrad()
            let l = try loss(batch)
            // The generic parameter shadows the loader's batch type, which carries the weights.
            let mean = try Self.mean(l, weights: (batch as? Framework.Batch)?.weights ?? [])
            let value = Double(try mean.item())
            let logged = l.parts.merging(["loss": value]) { $1 }
            // A non-finite loss takes no step; the loop stops on it before any checkpoint.
            guard value.isFinite else { return logged }
            try mean.backward()
            if let clip = self.clipGradientNorm {
                GradientClipping.clipGlobalNorm(optimizer.groups.flatMap(\.parameters), maxNorm: clip)
            }
            optimizer.step()
            return logged
        }, validate: validate)
    }

    /// The batch's loss: the mean of its per-example losses, or with per-example weights
    /// Σ wᵢ lossᵢ / Σ wᵢ (a batch whose weights are all 0 has loss 0 and a zero gradient).
    static func mean(_ loss: TaskLoss, weights: [Float]) throws -> Tensor {
        let total = loss.total
        guard weights.contains(where: { $0 != 1 }) else { return try total.sum() * (1 / Float(max(1, total.count))) }
        guard loss.isPerExample, total.count == weights.count else {
            throw TrainingError.invalidLoss("per-example weights need one loss per example, but the task's loss has \(total.count) values for \(weights.count) examples; remove weight_column for this task")
        }
        let sum = weights.reduce(0, +)
        let w = try Tensor(shape: total.shape, storage: weights)
        return try (total * w).sum() * (sum > 0 ? 1 / sum : 0)
    }

    /// Trains with a custom step: `step` does its own gradient and optimizer work for a batch
    /// (e.g. a discriminator step and a generator step) and returns the values to log, `loss`
    /// among them. A non-finite `loss` stops training with an error before any checkpoint.
    @discardableResult
    public func fit(epochs: Int, startEpoch: Int = 0, history: [[String: Double]] = [],
                    batchesPerEpoch: Int? = nil,
                    batches: (Int) throws -> () throws -> Batch?,
                    step: (Batch) throws -> [String: Double],
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
            state.runningParts = [:]
            model.train()
            try emit(.epochStart(epoch: epoch), state)
            var sums: [String: Double] = [:], n = 0
            let next = try batches(epoch)
            while let batch = try next() {
                if cancellation.isSet { throw TrainingError.interrupted(epoch: epoch) }
                try emit(.batchStart(epoch: epoch, batch: state.batch), state)
                if let schedule {
                    let m = schedule.multiplier(atStep: optimizer.stepCount)
                    for o in optimizers { o.optimizer.learningRateMultiplier = m }
                    state.learningRateMultiplier = m
                }
                let values = try step(batch)
                let value = values["loss"] ?? .nan
                guard value.isFinite else {
                    throw TrainingError.nonFiniteLoss(epoch: epoch, batch: state.batch, loss: value)
                }
                state.globalStep = optimizer.stepCount
                for (k, v) in values { sums[k, default: 0] += v }
                n += 1
                state.runningLoss = sums["loss"]! / Double(n)
                state.runningParts = sums.filter { $0.key != "loss" }.mapValues { $0 / Double(n) }
                try emit(.batchEnd(epoch: epoch, batch: state.batch, loss: value), state)
                state.batch += 1
            }
            if cancellation.isSet { throw TrainingError.interrupted(epoch: epoch) }
            model.eval()
            var metrics = try GradMode.withoutGrad { try validate(epoch) }
            metrics["epoch"] = Double(epoch + 1)
            metrics["train_loss"] = n > 0 ? sums["loss", default: 0] / Double(n) : .nan
            for (k, v) in sums where k != "loss" { metrics["train_\(k)"] = v / Double(n) }
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
