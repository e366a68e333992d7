import TestSupport
import Foundation
import Testing
@testable import ClassifierPlugin
@testable import Framework

/// Records the global gradient norm after each optimizer step (the gradients stay until the
/// next step's zeroGrad), and the learning-rate multiplier in force.
private final class GradientWatcher: TrainingCallback {
    let parameters: () -> [Tensor]
    var norms: [Float] = []
    var multipliers: [Float] = []
    init(_ parameters: @escaping () -> [Tensor]) { self.parameters = parameters }
    func on(_ event: TrainingEvent, state: TrainerState) throws {
        guard case .batchEnd = event else { return }
        var s: Float = 0
        for p in parameters() { for g in p.grad?.storage ?? [] { s += g * g } }
        norms.append(s.squareRoot())
        multipliers.append(state.learningRateMultiplier)
    }
}

/// The one supervised run that finetuning, the acquisition comparison and the volunteer loop
/// share: every `training:` option reaches every task.
@Suite("One supervised training run for every task", .serialized)
struct SupervisedRunTests {
    static func registry() -> Registry {
        let r = Registry.simulatedForTests()
        r.register(task: AcquisitionComparisonComponent.self, plugin: "Classifier")
        r.register(task: FinetuneComponent.self, plugin: "Classifier")
        r.register(head: LinearClassifierComponent.self, plugin: "Classifier")
        return r
    }

    static func yaml(task: String, training: String) -> String {
        """
        name: honour
        seed: 5
        task: \(task)
        data:
          kind: simulated-galaxies
          count: 48
          simulator: {image_size: 32}
        backbone: {kind: compact}
        head: {kind: linear-classifier, label: ring}
        training: \(training)
        """
    }

    let dir: TemporaryFolder
    init() throws { dir = try TemporaryFolder("zoorun-run") }

    func experiment(task: String, training: String) throws -> Experiment {
        let path = try dir.write("e.yaml", text: Self.yaml(task: task, training: training))
        return try Experiment.load(path: path, registry: Self.registry(), runFolder: dir.file("run"))
    }

    /// Before the one run, the comparison built AdamW with layer decay, a cosine schedule and
    /// no clipping whatever the config said.
    @Test func theAcquisitionComparisonHonoursModeOptimizerScheduleAndClipping() throws {
        let e = try experiment(task: "{kind: acquisition-comparison, initial_labels: 16, per_round: 4, rounds: 1, seeds: [0], mc_samples: 2}",
                               training: "{epochs: 2, batch_size: 8, warmup_epochs: 0, patience: 0, workers: 1, training_mode: head_only, optimizer: sgd, learning_rate: 0.1, schedule: step, step_epochs: 1, gamma: 0.5, clip_grad_norm: 0.001}")
        let comparison = AcquisitionComparison(options: try e.config.task.decodeOptions(AcquisitionComparisonComponent.Options.self))
        var context = e.context()
        let source: DataSource = try e.registry.make(.dataset, from: e.config.data, context: context)
        context.inChannels = source.channels
        let model = try comparison.buildModel(e, context: context)
        let encoderBefore = model.encoder.stateDict().map { $0.tensor.storage }
        let headBefore = model.head.stateDict().map { $0.tensor.storage }
        let watcher = GradientWatcher { model.trainableParameters() }
        e.extraCallbacks = [watcher]

        let result = try comparison.train(model, source: source, indices: Array(source.train.prefix(16)), votes: nil, seed: 0, experiment: e)

        #expect(result.optimizer is SGD, "optimizer: sgd")
        #expect(result.schedule is StepDecay, "schedule: step")
        #expect(model.encoder.stateDict().map { $0.tensor.storage } == encoderBefore, "training_mode: head_only leaves the encoder as it was")
        #expect(model.head.stateDict().map { $0.tensor.storage } != headBefore, "the head trains")
        #expect(!watcher.norms.isEmpty && watcher.norms.allSatisfy { $0 <= 0.001 * 1.001 }, "clip_grad_norm: 0.001, norms \(watcher.norms)")
        // Two batches per epoch, halved after each epoch.
        #expect(watcher.multipliers == [1, 1, 0.5, 0.5])
    }

    /// `monitor` and `monitor_mode` pick the best checkpoint that the test pass uses.
    @Test func finetuningRestoresTheBestEpochOfAMaxMonitor() throws {
        let e = try experiment(task: "{kind: finetune, mc_samples: 1}",
                               training: "{epochs: 4, batch_size: 8, warmup_epochs: 0, patience: 0, workers: 1, monitor: val_accuracy, monitor_mode: max}")
        let task: any ExperimentTask = try e.registry.make(.task, from: e.config.task, context: e.context())
        _ = try task.run(e)
        let best = try Checkpoint.load(from: dir.file("run/checkpoints/best.safetensors"),
                                       model: try FinetuneTask(options: .init()).build(e).model, optimizer: nil)
        let accuracies = best.history.compactMap { $0["val_accuracy"] }
        #expect(best.history.count == best.epoch)
        #expect(accuracies.last == accuracies.max(), "the best checkpoint is the latest epoch with the highest val_accuracy: \(accuracies)")
        #expect(MetricMonitor("val_accuracy", mode: .max).bestEpoch(in: best.history) == best.epoch - 1)
    }

    @Test func anUnknownMonitorNamesTheMetricsThereAre() throws {
        let e = try experiment(task: "{kind: finetune, mc_samples: 1}",
                               training: "{epochs: 1, batch_size: 8, warmup_epochs: 0, workers: 1, monitor: val_acuracy}")
        let task: any ExperimentTask = try e.registry.make(.task, from: e.config.task, context: e.context())
        do {
            _ = try task.run(e)
            Issue.record("expected an error for an unknown monitor")
        } catch {
            #expect("\(error)".contains("val_acuracy") && "\(error)".contains("val_accuracy"), "\(error)")
        }
    }
}
