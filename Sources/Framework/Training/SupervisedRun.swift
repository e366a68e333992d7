import Foundation

/// One supervised training run, the same for every task: loaders over the train and
/// validation indices, the optimizer and schedule `TrainingOptions` names (layer decay,
/// `training_mode`, clipping), resume from the last checkpoint, progress, the metrics log,
/// best and last checkpoints on the monitored metric, early stopping, and the best epoch's
/// weights restored at the end. Finetuning, the acquisition comparison's rounds and the
/// volunteer loop's weekly retrain all train through it; a new task brings a `TaskModel`.
public struct SupervisedRun {
    /// What a finished run leaves besides the trained model.
    public struct Result {
        public var state: TrainerState
        public var optimizer: Optimizer
        /// Every optimizer by name (one, unless the model is an `AdversarialTaskModel`).
        public var optimizers: [(name: String, optimizer: Optimizer)]
        public var schedule: LearningRateSchedule?
        /// Batches per training epoch.
        public var stepsPerEpoch: Int
        /// 1-based epoch whose weights the model holds (the best by the monitor, or the last
        /// with `restore_best: false`), and that epoch's metrics.
        public var epoch: Int
        public var metrics: [String: Double]
    }

    public var training: TrainingOptions
    /// Seeds the loader order, augmentation and dropout.
    public var seed: UInt64
    /// The run folder for `metrics.csv`/`metrics.jsonl` and `checkpoints/{last,best}.safetensors`;
    /// nil trains in memory (the best weights are kept as a copy) and writes nothing.
    public var folder: String?
    /// Continue from `checkpoints/last.safetensors` when it exists.
    public var resume = false
    /// Facts stored in each checkpoint's metadata (task kind, output names, config).
    public var checkpointInfo: [String: String] = [:]
    public var cancellation = CancellationFlag()
    /// Added after the run's own callbacks.
    public var callbacks: [TrainingCallback] = []
    /// Progress lines on standard error.
    public var showProgress = true
    /// The dropout seed of an epoch: a function of (seed, epoch), so a resumed run repeats an
    /// uninterrupted one.
    public var dropoutSeed: (_ seed: UInt64, _ epoch: Int) -> UInt64 = { seed, epoch in seed &+ UInt64(epoch) &* 0x9E37 }
    public var log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }

    public init(training: TrainingOptions, seed: UInt64, folder: String?) {
        self.training = training
        self.seed = seed
        self.folder = folder
    }

    public var lastCheckpoint: String? { folder.map { "\($0)/checkpoints/last.safetensors" } }
    public var bestCheckpoint: String? { folder.map { "\($0)/checkpoints/best.safetensors" } }

    /// The loader options of validation and test passes.
    public func evaluationLoaderOptions() -> DataLoaderOptions { training.evaluationLoaderOptions(seed: seed) }

    /// Trains `model` on `train` and validates on `val` (dataset indices).
    /// - Parameters:
    ///   - voteColumns: vote columns to collate (vote-tree heads), nil for none.
    ///   - maskNames: masks to collate, nil for every mask the examples have.
    @discardableResult
    public func fit(_ model: any TaskModel, dataset: any Dataset, train: [Int], val: [Int],
                    augmentation: AugmentationOptions? = nil, voteColumns: [String]? = nil,
                    maskNames: [String]? = nil) throws -> Result {
        guard !train.isEmpty, !val.isEmpty else {
            throw TrainingError.noData(train: train.count, validation: val.count)
        }
        let fm = FileManager.default
        if training.trainingMode == .headOnly { model.freezeBackbone() }
        let adversarial = model as? any AdversarialTaskModel
        let optimizers = adversarial?.makeOptimizers(training) ?? [("model", training.makeOptimizer(for: model))]
        let optimizer = optimizers[0].optimizer
        let loaderOptions = DataLoaderOptions(batchSize: training.batchSize, shuffle: true, dropLast: training.dropLast, seed: seed,
                                              workers: training.workers, cacheMegabytes: training.cacheMegabytes)
        let trainLoader = try DataLoader(dataset: dataset, indices: train, options: loaderOptions, augmentation: augmentation,
                                         voteColumns: voteColumns, maskNames: maskNames)
        let valLoader = try DataLoader(dataset: dataset, indices: val, options: evaluationLoaderOptions(),
                                       voteColumns: voteColumns, maskNames: maskNames)
        let steps = trainLoader.batchCount
        guard steps > 0 else { throw TrainingError.noData(train: 0, validation: val.count) }
        let schedule = training.makeSchedule(stepsPerEpoch: steps)

        var startEpoch = 0
        var history: [[String: Double]] = []
        if let folder { try fm.createDirectory(atPath: "\(folder)/checkpoints", withIntermediateDirectories: true) }
        if resume, let last = lastCheckpoint, fm.fileExists(atPath: last) {
            let ck = try Checkpoint.load(from: last, model: model, optimizers: optimizers)
            startEpoch = ck.epoch
            history = ck.history
            log("zoorun: resuming after epoch \(startEpoch) from \(last)")
        }

        let trainer = Trainer<Batch>(model: model, optimizers: optimizers, schedule: schedule,
                                     clipGradientNorm: training.clipGradNorm, cancellation: cancellation)
        let monitor = training.monitored
        if showProgress { trainer.callbacks.append(ProgressReporter(unitsPerBatch: training.batchSize)) }
        var inMemory: BestWeights? = nil
        if let folder, let last = lastCheckpoint, let best = bestCheckpoint {
            let info = checkpointInfo
            trainer.callbacks.append(MetricsLogger(folder: folder))
            trainer.callbacks.append(CheckpointSaver(monitor: monitor) { kind, state in
                let ck = Checkpoint(epoch: state.epoch + 1, history: state.history, info: info)
                try ck.save(model: model, optimizers: kind == .last ? optimizers : [], to: kind == .last ? last : best)
            })
        } else if training.restoreBest {
            inMemory = BestWeights(model: model, monitor: monitor)
            trainer.callbacks.append(inMemory!)
        }
        if training.patience > 0 { trainer.callbacks.append(EarlyStopping(monitor: monitor, patience: training.patience)) }
        trainer.callbacks += callbacks

        let batches: (Int) throws -> () throws -> Batch? = { epoch in
            model.reseedDropout(dropoutSeed(seed, epoch))
            let e = trainLoader.epoch(epoch)
            return { try e.next() }
        }
        let validate: (Int) throws -> [String: Double] = { _ in
            var m: [String: Double] = [:]
            for (k, v) in try model.evaluate(valLoader) { m["val_\(k)"] = v }
            if monitor.metric.hasPrefix("val_"), m[monitor.metric] == nil {
                throw TrainingError.unknownMonitor(monitor.metric, known: m.keys.sorted())
            }
            return m
        }
        let state = try adversarial.map { adversarial in
            try trainer.fit(epochs: training.epochs, startEpoch: startEpoch, history: history, batchesPerEpoch: steps,
                            batches: batches, step: { batch in
                                guard !batch.isWeighted else {
                                    throw TrainingError.invalidLoss("adversarial training does not weigh examples; remove weight_column for this task")
                                }
                                return try adversarial.step(batch, optimizers: optimizers)
                            }, validate: validate)
        } ?? trainer.fit(epochs: training.epochs, startEpoch: startEpoch, history: history, batchesPerEpoch: steps,
                         batches: batches, loss: { try model.loss($0) }, validate: validate)
        if let reason = state.stopReason { log("zoorun: \(reason)") }

        var epoch = state.history.count
        if training.restoreBest, let i = monitor.bestEpoch(in: state.history), i + 1 < state.history.count {
            if let best = bestCheckpoint, fm.fileExists(atPath: best) {
                try Checkpoint.load(from: best, model: model, optimizer: nil)
            } else if let kept = inMemory?.best {
                try model.load(kept.state)
            }
            epoch = i + 1
        }
        return Result(state: state, optimizer: optimizer, optimizers: optimizers, schedule: schedule, stepsPerEpoch: steps,
                      epoch: epoch, metrics: epoch > 0 ? state.history[epoch - 1] : [:])
    }
}
