import Foundation
import Testing
@testable import Framework

/// Fits y = 2x − 1 with one Linear layer through the Trainer.
private final class Fixture {
    let model: Linear
    let optimizer: SGD
    let xs: [Float] = (0..<32).map { Float($0) / 16 - 1 }
    var poison = false

    init() {
        var rng = RandomGenerator(seed: 7)
        model = Linear(1, 1, rng: &rng)
        optimizer = SGD(parameters: model.trainableParameters(), learningRate: 0.1, momentum: 0.5)
    }

    func batches(_ epoch: Int) -> () throws -> [Float]? {
        var it = stride(from: 0, to: xs.count, by: 8).map { Array(xs[$0..<$0 + 8]) }.makeIterator()
        return { it.next() }
    }

    func loss(_ b: [Float]) throws -> Tensor {
        let x = try Tensor(shape: [b.count, 1], storage: b)
        let y = try Tensor(shape: [b.count, 1], storage: b.map { poison ? .nan : 2 * $0 - 1 })
        let d = try model(x) - y
        return try (d * d).reshaped([b.count])
    }

    func validate(_ epoch: Int) throws -> [String: Double] {
        ["val_loss": Double(try loss(xs).sum().item()) / Double(xs.count)]
    }
}

private final class Recorder: TrainingCallback {
    var events: [TrainingEvent] = []
    func on(_ event: TrainingEvent, state: TrainerState) throws { events.append(event) }
}

@Suite("Trainer loop and callbacks")
struct TrainerTests {
    func tempDir() -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("zoorun-trainer-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test func fitsEmitsEventsAndLogs() throws {
        let f = Fixture()
        let dir = tempDir()
        let trainer = Trainer<[Float]>(model: f.model, optimizer: f.optimizer)
        let rec = Recorder()
        trainer.callbacks = [rec, MetricsLogger(folder: dir)]
        let state = try trainer.fit(epochs: 20, batchesPerEpoch: 4, batches: f.batches, loss: f.loss, validate: f.validate)
        #expect(state.history.count == 20)
        #expect(state.history.last!["val_loss"]! < 1e-3)
        #expect(rec.events.first == .fitStart && rec.events.last == .fitEnd)
        let batchEnds = rec.events.filter { if case .batchEnd = $0 { return true } else { return false } }
        #expect(batchEnds.count == 20 * 4)
        #expect(rec.events.filter { if case .epochEnd = $0 { return true } else { return false } }.count == 20)
        let csv = try String(contentsOfFile: "\(dir)/metrics.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 21)
        #expect(csv[0].hasPrefix("epoch,"))
        let jsonl = try String(contentsOfFile: "\(dir)/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(jsonl.count == 20)
        #expect(try JSONSerialization.jsonObject(with: Data(jsonl[0].utf8)) is [String: Any])
    }

    @Test func earlyStoppingStopsAfterPatience() throws {
        let f = Fixture()
        let trainer = Trainer<[Float]>(model: f.model, optimizer: f.optimizer)
        trainer.callbacks = [EarlyStopping(patience: 2)]
        var epoch = 0
        let state = try trainer.fit(epochs: 50, batches: f.batches, loss: f.loss) { e in
            epoch = e
            return ["val_loss": e < 3 ? Double(10 - e) : 100]  // best at epoch 2, then worse
        }
        #expect(epoch == 4)
        #expect(state.stopReason?.contains("val_loss") == true)
    }

    @Test func nanLossStopsWithoutSavingAfterIt() throws {
        let f = Fixture()
        let trainer = Trainer<[Float]>(model: f.model, optimizer: f.optimizer)
        var saved: [Int] = []
        trainer.callbacks = [CheckpointSaver { kind, state in if kind == .last { saved.append(state.epoch) } }]
        var epochs = 0
        #expect(throws: TrainingError.self) {
            try trainer.fit(epochs: 5, batches: f.batches, loss: { b in
                if epochs >= 2 { f.poison = true }
                return try f.loss(b)
            }, validate: { e in epochs += 1; return try f.validate(e) })
        }
        #expect(saved == [0, 1])
    }

    @Test func cancellationInterrupts() throws {
        let f = Fixture()
        let flag = CancellationFlag()
        let trainer = Trainer<[Float]>(model: f.model, optimizer: f.optimizer, cancellation: flag)
        do {
            try trainer.fit(epochs: 5, batches: f.batches, loss: { b in flag.set(); return try f.loss(b) }, validate: f.validate)
            Issue.record("expected interruption")
        } catch let e as TrainingError {
            #expect("\(e)".contains("--resume"))
        }
    }

    @Test func lossPartsAreLoggedPerEpochAndShownInProgress() throws {
        let f = Fixture()
        let dir = tempDir()
        let trainer = Trainer<[Float]>(model: f.model, optimizer: f.optimizer)
        let progressPath = "\(dir)/progress.txt"
        FileManager.default.createFile(atPath: progressPath, contents: nil)
        let progress = try FileHandle(forWritingTo: URL(fileURLWithPath: progressPath))
        trainer.callbacks = [MetricsLogger(folder: dir), ProgressReporter(unitsPerBatch: 8, lineEvery: 1, output: progress)]
        var calls = 0
        try trainer.fit(epochs: 2, batchesPerEpoch: 4, batches: f.batches, loss: { b in
            calls += 1
            // Parts alternate 1, 3, 1, 3 within an epoch: their epoch mean is 2.
            return TaskLoss(total: try f.loss(b), parts: ["box_regression": calls % 2 == 1 ? 1 : 3, "objectness": 0.5])
        }, validate: f.validate)
        try progress.close()
        let csv = try String(contentsOfFile: "\(dir)/metrics.csv", encoding: .utf8).split(separator: "\n")
        let header = csv[0].split(separator: ",").map(String.init)
        let row = csv[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let column = { (name: String) in Double(row[header.firstIndex(of: name)!])! }
        #expect(column("train_box_regression") == 2)
        #expect(column("train_objectness") == 0.5)
        let shown = try String(contentsOfFile: progressPath, encoding: .utf8)
        #expect(shown.contains("box_regression 1.0000"), "the progress line shows the running part")
        #expect(shown.contains("objectness 0.5000"))
        #expect(shown.contains("batch 1/4") && shown.contains("ETA"), "batch lines estimate the epoch's end")
        #expect(shown.contains("epoch 1/2 done in") && shown.contains("to go"), "the first epoch estimates the run's end")
        #expect(!shown.split(separator: "\n").contains { $0.hasPrefix("epoch 2/2 done") && $0.contains("to go") },
                "nothing is left to estimate after the last epoch")
    }

    @Test func aMaxMonitorKeepsTheHighestEpochAndStopsAfterIt() throws {
        let f = Fixture()
        let trainer = Trainer<[Float]>(model: f.model, optimizer: f.optimizer)
        let monitor = MetricMonitor("val_accuracy", mode: .max)
        var best: [Int] = []
        trainer.callbacks = [CheckpointSaver(monitor: monitor) { kind, state in if kind == .best { best.append(state.epoch) } },
                             EarlyStopping(monitor: monitor, patience: 2)]
        let accuracy = [0.5, 0.7, 0.6, 0.8, 0.8, 0.75, 0.7, 0.9]
        let state = try trainer.fit(epochs: accuracy.count, batches: f.batches, loss: f.loss) { e in
            ["val_accuracy": accuracy[e], "val_loss": Double(e)]  // val_loss alone would keep epoch 0
        }
        // A tie moves the best checkpoint forward but is no improvement for early stopping:
        // epochs 4 (a tie) and 5 (lower) are two without improvement on epoch 3.
        #expect(best == [0, 1, 3, 4])
        #expect(state.history.count == 6)
        #expect(monitor.bestEpoch(in: state.history) == 4)
        #expect(state.stopReason?.contains("val_accuracy") == true)
    }

    @Test func aCustomStepTrainsTwoOptimizersAndACheckpointKeepsBoth() throws {
        var rng = RandomGenerator(seed: 3)
        let a = Linear(1, 1, rng: &rng), b = Linear(1, 1, rng: &rng)
        let pair = Sequential([a, b])
        let optA = Adam(groups: [ParameterGroup(parameters: a.trainableParameters(), learningRate: 0.01)])
        let optB = SGD(parameters: b.trainableParameters(), learningRate: 0.05, momentum: 0.9)
        let trainer = Trainer<[Float]>(model: pair, optimizers: [("generator", optA), ("discriminator", optB)],
                                       schedule: StepDecay(stepSize: 2, gamma: 0.5))
        let f = Fixture()
        let state = try trainer.fit(epochs: 2, batchesPerEpoch: 4, batches: f.batches, step: { xs in
            let x = try Tensor(shape: [xs.count, 1], storage: xs)
            // Alternate as adversarial training does: one optimizer per half-step.
            optB.zeroGrad()
            let lb = try (b(x) - x).square().mean()
            try lb.backward()
            optB.step()
            optA.zeroGrad()
            let la = try (a(x) + x).square().mean()
            try la.backward()
            optA.step()
            return ["loss": Double(try la.item() + lb.item()), "discriminator": Double(try lb.item())]
        }, validate: { _ in ["val_loss": 0] })
        #expect(optA.stepCount == 8 && optB.stepCount == 8)
        #expect(state.history[1]["train_discriminator"] != nil)
        // The schedule scales both optimizers.
        #expect(optA.learningRateMultiplier == optB.learningRateMultiplier && optB.learningRateMultiplier < 1)

        let path = "\(tempDir())/pair.safetensors"
        try Checkpoint(epoch: 2, history: state.history).save(model: pair, optimizers: trainer.optimizers, to: path)
        var rng2 = RandomGenerator(seed: 99)
        let a2 = Linear(1, 1, rng: &rng2), b2 = Linear(1, 1, rng: &rng2)
        let optA2 = Adam(groups: [ParameterGroup(parameters: a2.trainableParameters(), learningRate: 0.01)])
        let optB2 = SGD(parameters: b2.trainableParameters(), learningRate: 0.05, momentum: 0.9)
        try Checkpoint.load(from: path, model: Sequential([a2, b2]), optimizers: [("generator", optA2), ("discriminator", optB2)])
        #expect(optA2.stepCount == 8 && optB2.stepCount == 8)
        for (x, y) in [(optA.stateDict(), optA2.stateDict()), (optB.stateDict(), optB2.stateDict())] {
            #expect(Set(x.keys) == Set(y.keys))
            for k in x.keys { #expect(x[k]!.storage == y[k]!.storage, "optimizer state \(k)") }
        }
        #expect(a2.weight.storage == a.weight.storage && b2.weight.storage == b.weight.storage)
    }
}

/// Per-example weights (a catalog's `weight_column`) in the trainer's loss.
@Suite("Per-example loss weights")
struct ExampleWeightTests {
    @Test func theWeightedMeanAndItsGradient() throws {
        let totals = try Tensor(shape: [3], storage: [1, 5, 4], requiresGrad: true)
        let mean = try Trainer<Batch>.mean(TaskLoss(total: totals), weights: [2, 0, 1])
        #expect(Swift.abs(try mean.item() - 2) < 1e-6)  // (2·1 + 0·5 + 1·4) / 3
        try mean.backward()
        let grad = try #require(totals.grad).storage
        #expect(zip(grad, [2.0 / 3, 0, 1.0 / 3] as [Float]).allSatisfy { Swift.abs($0 - $1) < 1e-6 })
        // All ones: the plain mean; all zeros: nothing to learn from, not a NaN.
        #expect(Swift.abs(try Trainer<Batch>.mean(TaskLoss(total: try Tensor(shape: [3], storage: [1, 5, 4])), weights: [1, 1, 1]).item() - 10.0 / 3) < 1e-6)
        #expect(try Trainer<Batch>.mean(TaskLoss(total: try Tensor(shape: [2], storage: [1, 5])), weights: [0, 0]).item() == 0)
        // A batch-level loss (one value, or one value repeated, as a detector's) cannot be
        // weighed per example: refused, not silently unweighted.
        #expect(throws: TrainingError.self) { try Trainer<Batch>.mean(TaskLoss(total: try Tensor(shape: [1], storage: [3])), weights: [1, 0]) }
        let repeated = TaskLoss(total: try Tensor(shape: [2], storage: [3, 3]), isPerExample: false)
        #expect(throws: TrainingError.self) { try Trainer<Batch>.mean(repeated, weights: [1, 0]) }
        #expect(try Trainer<Batch>.mean(repeated, weights: [1, 1]).item() == 3)
    }

    /// Through a real step: an example of weight 0 changes nothing, and scaling every
    /// weight alike changes nothing either.
    @Test func aZeroWeightLeavesAnExampleOutOfTheStep() throws {
        func trained(_ xs: [Float], weights: [Float]) throws -> [Float] {
            var rng = RandomGenerator(seed: 7)
            let model = Linear(1, 1, rng: &rng)
            let trainer = Trainer<Batch>(model: model, optimizer: SGD(parameters: model.trainableParameters(), learningRate: 0.1, momentum: 0))
            let n = xs.count
            let batch = Batch(epoch: 0, number: 0, indices: Array(0..<n), ids: (0..<n).map { "g\($0)" },
                              images: try Tensor(shape: [n, 1, 1, 1], storage: xs), labels: [:], votes: nil,
                              masks: [:], maskPresent: [:], boxes: Array(repeating: [], count: n), droppedBoxes: 0, weights: weights)
            let y = try Tensor(shape: [n, 1], storage: xs.map { 2 * $0 - 1 })
            try trainer.fit(epochs: 1, batchesPerEpoch: 1, batches: { _ in
                var given = false
                return { defer { given = true }; return given ? nil : batch }
            }, loss: { b in
                let d = try model(try b.images.reshaped([n, 1])) - y
                return TaskLoss(total: try (d * d).reshaped([n]))
            }, validate: { _ in ["val_loss": 0] })
            return model.trainableParameters().flatMap(\.storage)
        }
        let plain = try trained([0.5, -0.25], weights: [1, 1])
        let withIgnored = try trained([0.5, -0.25, 3], weights: [1, 1, 0])
        let doubled = try trained([0.5, -0.25], weights: [2, 2])
        let counted = try trained([0.5, -0.25, 3], weights: [1, 1, 1])
        #expect(zip(plain, withIgnored).allSatisfy { Swift.abs($0 - $1) < 1e-7 })
        #expect(zip(plain, doubled).allSatisfy { Swift.abs($0 - $1) < 1e-6 })
        #expect(zip(plain, counted).contains { Swift.abs($0 - $1) > 1e-3 }, "the third example moves the weights when it counts")
    }
}
