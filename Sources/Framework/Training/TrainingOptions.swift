/// The `training:` section of every supervised experiment: Zoobot's finetuning controls
/// (`training_mode`, `layer_decay`, learning rate, weight decay, cosine schedule with warmup)
/// and the loop's (epochs, batch size, the monitored metric, early stopping). Every task that
/// trains goes through `SupervisedRun`, which honours all of them.
public struct TrainingOptions: ComponentOptions {
    public enum Mode: String, ConfigEnum, Codable, Sendable {
        /// Train the head only; the backbone and its BatchNorm statistics stay frozen.
        case headOnly = "head_only"
        /// Train everything, with layer-wise learning-rate decay down the backbone.
        case full
    }

    public enum OptimizerKind: String, ConfigEnum, Codable, Sendable { case adamw, adam, sgd }
    public enum ScheduleKind: String, ConfigEnum, Codable, Sendable { case cosine, step, constant }

    public var epochs = 20
    public var batchSize = 32
    public var trainingMode = Mode.full
    public var optimizer = OptimizerKind.adamw
    public var learningRate: Float = 1e-3
    public var weightDecay: Float = 0.05
    /// SGD only.
    public var momentum: Float = 0.9
    /// lr·decay^i for the i-th block below the head (Zoobot's layer-wise decay); 1 = none.
    public var layerDecay: Float = 0.75
    public var schedule = ScheduleKind.cosine
    public var warmupEpochs = 1
    /// Step schedule: multiply by `gamma` every `step_epochs`.
    public var stepEpochs = 10
    public var gamma: Float = 0.1
    /// The metric that picks the best epoch and drives early stopping: `val_loss`, or any
    /// metric the run logs (`val_accuracy`, `val_dice_bar`, `train_loss`, …).
    public var monitor = "val_loss"
    /// Whether lower (`min`) or higher (`max`) values of `monitor` are better.
    public var monitorMode = MetricMonitor.Mode.min
    /// Early stopping on `monitor`; 0 disables it.
    public var patience = 8
    /// End with the best epoch's weights (by `monitor`); false keeps the last epoch's.
    public var restoreBest = true
    public var clipGradNorm: Float?
    /// Drop each epoch's last partial batch (PyTorch's `drop_last=True`): a batch of a few
    /// galaxies gives BatchNorm noisy statistics.
    public var dropLast = false
    /// Loader threads decoding and augmenting ahead of the training step.
    public var workers = 2
    /// MiB of decoded images each loader (training, validation) keeps between epochs, so
    /// that later epochs only augment; 0 decodes every epoch. Results do not depend on it.
    /// On by default: with two cores, decoding every epoch costs about a fifth of the
    /// training throughput (docs/benchmarks.md), and 512 MiB holds ~10,000 images at 64 px.
    public var cacheMegabytes = 512

    public init() {}

    enum CodingKeys: String, CodingKey {
        case epochs, optimizer, momentum, schedule, gamma, patience, workers
        case batchSize = "batch_size", trainingMode = "training_mode", learningRate = "learning_rate"
        case weightDecay = "weight_decay", layerDecay = "layer_decay", warmupEpochs = "warmup_epochs"
        case stepEpochs = "step_epochs", clipGradNorm = "clip_grad_norm", cacheMegabytes = "cache_mb"
        case dropLast = "drop_last", monitor, monitorMode = "monitor_mode", restoreBest = "restore_best"
    }

    /// The monitored metric and its direction.
    public var monitored: MetricMonitor { MetricMonitor(monitor, mode: monitorMode) }

    public func validate() throws {
        func check(_ ok: Bool, _ message: String) throws {
            if !ok { throw ConfigError(file: "training", message: message) }
        }
        try check(epochs >= 1, "epochs must be ≥ 1")
        try check(batchSize >= 1, "batch_size must be ≥ 1")
        try check(learningRate > 0, "learning_rate must be > 0")
        try check(weightDecay >= 0, "weight_decay must be ≥ 0")
        try check(layerDecay > 0 && layerDecay <= 1, "layer_decay must be in (0, 1]")
        try check(warmupEpochs >= 0 && warmupEpochs < epochs, "warmup_epochs must be in [0, epochs)")
        try check(patience >= 0, "patience must be ≥ 0")
        try check(!monitor.isEmpty, "monitor must name a metric, e.g. val_loss")
        if let clip = clipGradNorm { try check(clip > 0 && clip.isFinite, "clip_grad_norm must be > 0, found \(clip)") }
        try check(workers >= 0, "workers must be ≥ 0")
        try check((0...(1 << 20)).contains(cacheMegabytes), "cache_mb must be in 0...1048576 (MiB), found \(cacheMegabytes)")
    }
}
