import Foundation
import Framework
import TestSupport
import Testing
@testable import GANPlugin

@Suite("GAN training through the one supervised run", .serialized)
struct GANTrainingTests {
    let dir: TemporaryFolder
    init() throws { dir = try TemporaryFolder("zoorun-gan") }

    static func options(stabiliser: GANComponent.Stabiliser = .none, lr: Float = 2e-3) -> GANComponent.Options {
        var o = GANComponent.Options()
        o.latent = 16
        o.generatorWidth = 8
        o.discriminatorWidth = 8
        o.generatorLR = lr
        o.discriminatorLR = lr
        o.gridSamples = 16
        o.stabiliser = stabiliser
        return o
    }

    static func training(epochs: Int, batchSize: Int = 16) -> TrainingOptions {
        var t = TrainingOptions()
        t.epochs = epochs
        t.batchSize = batchSize
        t.schedule = .constant
        t.patience = 0
        t.restoreBest = false
        t.workers = 1
        return t
    }

    func fit(_ model: GANModel, epochs: Int, batchSize: Int = 16, folder: String?, resume: Bool = false,
             callbacks: [TrainingCallback] = []) throws -> SupervisedRun.Result {
        let data = ColourDataset(count: 64)
        var run = SupervisedRun(training: Self.training(epochs: epochs, batchSize: batchSize), seed: 11, folder: folder)
        run.resume = resume
        run.showProgress = false
        run.callbacks = callbacks
        return try run.fit(model, dataset: data, train: Array(0..<48), val: Array(48..<64))
    }

    @Test func samplesMoveTowardsTheDataAndBothPlayersAreLogged() throws {
        // Spectral normalisation: with BatchNorm, a discriminator sees a batch of near-identical
        // grey first samples normalised away, and learns this toy task far more slowly.
        var options = Self.options(stabiliser: .spectralNorm, lr: 2e-3)
        options.latent = 8
        let model = try GANModel(options: options, channels: 3, imageSize: 32, seed: 11)
        let (z, _) = try model.fixedBatch()
        model.eval()
        let before = ColourDataset.colourDistance(try model.sample(z, labels: nil))
        let trained = try fit(model, epochs: 12, batchSize: 8, folder: dir.file("learn"))
        model.eval()
        let after = ColourDataset.colourDistance(try model.sample(z, labels: nil))
        // Grey first samples are 0.33 from either colour (squared, summed over bands).
        #expect(after < 0.5 * before, "mean squared distance of a sample's colour to the nearest data colour: \(before) → \(after)")
        let last = try #require(trained.state.history.last)
        for key in ["train_d_loss", "train_g_loss", "train_d_real", "train_d_fake", "val_d_loss", "val_g_loss"] {
            #expect(last[key]?.isFinite == true, "\(key) logged: \(last.keys.sorted())")
        }
        #expect(trained.optimizers.map(\.name) == ["generator", "discriminator"])
        #expect(trained.optimizers.allSatisfy { $0.optimizer.stepCount == 72 }, "one step of each player per batch")
        let csv = try String(contentsOfFile: dir.file("learn/metrics.csv"), encoding: .utf8)
        #expect(csv.contains("train_d_loss") && csv.contains("train_g_loss"))
    }

    @Test("a resumed run equals an uninterrupted one", arguments: [GANComponent.Stabiliser.none, .spectralNorm])
    func resumeEqualsUninterrupted(_ stabiliser: GANComponent.Stabiliser) throws {
        let whole = try GANModel(options: Self.options(stabiliser: stabiliser), channels: 3, imageSize: 32, seed: 11)
        let a = try fit(whole, epochs: 2, folder: dir.file("whole-\(stabiliser)"))
        let first = try GANModel(options: Self.options(stabiliser: stabiliser), channels: 3, imageSize: 32, seed: 11)
        _ = try fit(first, epochs: 1, folder: dir.file("split-\(stabiliser)"))
        // A fresh process: a new model (same experiment seed) whose weights, statistics and
        // spectral estimates are scrambled, so that only the checkpoint can restore them.
        let resumed = try GANModel(options: Self.options(stabiliser: stabiliser), channels: 3, imageSize: 32, seed: 11)
        var rng = RandomGenerator(seed: 99)
        for (_, t) in resumed.stateDict() { t.storage = t.storage.map { $0 + 0.1 * rng.normal() } }
        let b = try fit(resumed, epochs: 2, folder: dir.file("split-\(stabiliser)"), resume: true)
        let x = Dictionary(uniqueKeysWithValues: whole.stateDict().map { ($0.name, $0.tensor) })
        let y = Dictionary(uniqueKeysWithValues: resumed.stateDict().map { ($0.name, $0.tensor) })
        #expect(Set(x.keys) == Set(y.keys))
        let differing = x.keys.filter { x[$0]!.storage != y[$0]!.storage }.sorted()
        #expect(differing.isEmpty, "tensors that differ: \(differing.prefix(5))")
        for (o, p) in zip(a.optimizers, b.optimizers) {
            let s = o.optimizer.stateDict(), t = p.optimizer.stateDict()
            #expect(!s.isEmpty && Set(s.keys) == Set(t.keys))
            let differing = s.keys.filter { s[$0]!.storage != t[$0]!.storage }.sorted()
            #expect(differing.isEmpty, "\(o.name) optimizer state that differs: \(differing.prefix(5))")
        }
        let sameHistory = a.state.history == b.state.history
        #expect(sameHistory, "the metrics history of both runs")
        if stabiliser == .spectralNorm { #expect(x.keys.contains { $0.hasSuffix(".u") }, "spectral estimates are checkpointed") }
    }

    @Test func theCollapseWarningFiresOnACollapsedGenerator() throws {
        let data = ColourDataset(count: 64)
        let model = try GANModel(options: Self.options(lr: 1e-12), channels: 3, imageSize: 32, seed: 11)
        let reference = try GANTask.images(data, Array(48..<64))
        model.diversity = try SampleDiversity(embedder: PixelFeatures(), real: reference)
        // The real images are as diverse as themselves; the measure is not stuck at 0.
        #expect(abs(try model.diversity!.ratio(of: reference) - 1) < 1e-9)
        // Zero output weights: tanh(0) everywhere, one image whatever the latent.
        model.generator.convs.last!.weight.storage = [Float](repeating: 0, count: model.generator.convs.last!.weight.count)
        let grids = SampleGridWriter(model: model, folder: dir.file("collapse"), threshold: 0.5)
        var warnings: [String] = []
        grids.log = { warnings.append($0) }
        let trained = try fit(model, epochs: 1, folder: dir.file("collapse"), callbacks: [grids])
        let ratio = try #require(trained.state.history[0]["val_diversity_ratio"])
        #expect(ratio < 0.01, "diversity ratio \(ratio)")
        #expect(warnings.count == 1 && warnings[0].contains("collapsing"), "\(warnings)")
        #expect(FileManager.default.fileExists(atPath: dir.file("collapse/plots/samples/epoch_001.png")))
    }
}
