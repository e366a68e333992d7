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
}
