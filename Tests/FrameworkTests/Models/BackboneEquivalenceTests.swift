import TestSupport
import Foundation
import Testing
@testable import Framework

/// The Swift backbones against PyTorch + timm on the same weights and input
/// (fixtures from `scripts/reference_outputs.py`).
@Suite("Backbones equal timm on the same weights")
struct BackboneEquivalenceTests {
    static let tolerance = 1e-4

    @Test("keys and shapes equal timm's state_dict", arguments: ReferenceFixture.smallModels)
    func keysMatchTimm(_ name: String) throws {
        let fixture = try ReferenceFixture(name)
        let model = try fixture.makeModel()
        let mine = Dictionary(uniqueKeysWithValues: model.stateDict().map { ($0.name, $0.tensor.shape) })
        let theirs = Dictionary(uniqueKeysWithValues: fixture.weights.entries.map { ($0.key, $0.value.shape) })
        #expect(mine.keys.sorted() == theirs.keys.sorted())
        for (key, shape) in theirs { #expect(mine[key] == shape, "\(key)") }
        // Buffers are exactly BatchNorm's three, so nothing else is skipped by optimizers.
        let buffers = model.namedBuffers().map(\.name)
        #expect(buffers.allSatisfy { $0.hasSuffix("running_mean") || $0.hasSuffix("running_var") || $0.hasSuffix("num_batches_tracked") })
        #expect(buffers.count == theirs.keys.filter { $0.hasSuffix("running_mean") }.count * 3)
    }

    @Test("eval embedding, feature maps and train-mode BatchNorm match PyTorch", arguments: ReferenceFixture.smallModels)
    func outputsMatchPyTorch(_ name: String) throws {
        let fixture = try ReferenceFixture(name)
        let model = try fixture.makeModel()
        let errors = try fixture.compare(model)
        #expect(errors.embedding <= Self.tolerance, "eval embedding")
        for (i, e) in errors.features.enumerated() { #expect(e <= Self.tolerance, "feature map \(i)") }
        #expect(errors.embeddingTrain <= Self.tolerance, "train-mode embedding")
        #expect(errors.trainState <= Self.tolerance, "running statistics after one train-mode pass")
        #expect(model.featureChannels == (0..<4).map { (try? fixture.expected("features.\($0)").shape[1]) ?? -1 })
        #expect(model.embeddingWidth == (try fixture.expected("embedding")).shape[1])
    }

    @Test("a perturbed weight is detected", arguments: ["resnet_basic", "efficientnet", "convnext_linear"])
    func comparisonCanFail(_ name: String) throws {
        let fixture = try ReferenceFixture(name)
        let model = try fixture.makeModel()
        try PretrainedWeights.load(fixture.weightsPath, into: model)
        let x = try fixture.expected("input")
        // The last parameter before the head changes the embedding; the comparison must see it.
        let (key, tensor) = model.namedParameters().last { $0.tensor.rank >= 1 && !$0.name.hasPrefix("head") }!
        tensor.storage[0] += 0.5
        let error = try GradMode.withoutGrad {
            model.eval()
            return try ReferenceFixture.relativeError(model.embed(x), fixture.expected("embedding"))
        }
        #expect(error > Self.tolerance, "changing \(key) went unnoticed")
    }

    /// Full-size models, by hand: `python scripts/reference_outputs.py --full-size --out DIR`,
    /// then `ZOORUN_REFERENCE_DIR=DIR swift test --filter fullSize` (see docs/model-equivalence.md).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ZOORUN_REFERENCE_DIR"] != nil))
    func fullSize() throws {
        let directory = ProcessInfo.processInfo.environment["ZOORUN_REFERENCE_DIR"]!
        let names = try ReferenceFixture.names(in: directory)
        #expect(!names.isEmpty, "no *.expected.safetensors in \(directory)")
        for name in names {
            let fixture = try ReferenceFixture(name, directory: directory)
            let model = try fixture.makeModel()
            let start = Date()
            let e = try fixture.compare(model)
            let features = e.features.map { String(format: "%.2e", $0) }.joined(separator: " ")
            let seconds = String(format: "%.1f", Date().timeIntervalSince(start))
            print("\(name): embedding \(String(format: "%.2e", e.embedding)), features \(features), "
                  + "train embedding \(String(format: "%.2e", e.embeddingTrain)), BN state \(String(format: "%.2e", e.trainState)) (\(seconds) s)")
            #expect(e.worst <= Self.tolerance, "\(name)")
        }
    }
}
