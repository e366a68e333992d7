import TestSupport
import Foundation
import Testing
@testable import Framework
@testable import SegmentationPlugin

/// A network whose logits are the image's first channel scaled: the loss tests need a
/// model whose output they control.
final class PixelNetwork: Module, MaskNetwork {
    let scale: Tensor
    let classes: Int

    init(classes: Int, scale: Float = 4) {
        self.scale = try! Tensor(shape: [1], storage: [scale], requiresGrad: true)
        self.classes = classes
        super.init()
    }

    func logits(_ images: Tensor) throws -> Tensor {
        let first = try images.sliced(axis: 1, start: 0, end: 1) - 0.5
        let z = try first * scale
        return try Tensor.concat(Array(repeating: z, count: classes), axis: 1)
    }

    func parameterGroups(learningRate: Float, layerDecay: Float, weightDecay: Float) -> [ParameterGroup] {
        [ParameterGroup(parameters: [scale], learningRate: learningRate)]
    }

    func freezeEncoder() {}
    var summary: String { "pixel network" }
}

/// A batch of `n` 4×4 images with masks `bar` and `spiral`, built by hand.
func handBatch(images: [Float], bar: [Float], spiral: [Float], barPresent: [Bool], spiralPresent: [Bool]) throws -> Batch {
    let n = barPresent.count
    return Batch(epoch: 0, number: 0, indices: Array(0..<n), ids: (0..<n).map { "g\($0)" },
                 images: try Tensor(shape: [n, 1, 4, 4], storage: images), labels: [:], votes: nil,
                 masks: ["bar": try Tensor(shape: [n, 1, 4, 4], storage: bar), "spiral": try Tensor(shape: [n, 1, 4, 4], storage: spiral)],
                 maskPresent: ["bar": barPresent, "spiral": spiralPresent], boxes: Array(repeating: [], count: n), droppedBoxes: 0)
}

@Suite("Mask losses leave out galaxies without a mask")
struct MaskLossTests {
    static func pattern(_ seed: UInt64, _ n: Int) -> [Float] {
        var rng = RandomGenerator(seed: seed)
        return (0..<n).map { _ in rng.uniform() }
    }

    @Test("an absent mask contributes nothing", arguments: MaskLoss.allCases)
    func absentMaskContributesNothing(kind: MaskLoss) throws {
        let model = SegmentationModel(network: PixelNetwork(classes: 2), classes: ["bar", "spiral"], weights: [1, 2], loss: kind, inputNorm: nil)
        let images = Self.pattern(1, 32), spiral = Self.pattern(3, 32).map { $0 > 0.5 ? Float(1) : 0 }
        // Galaxy 1 has no bar mask: whatever its bar plane holds must not change the loss.
        let a = try handBatch(images: images, bar: Self.pattern(2, 32), spiral: spiral, barPresent: [true, false], spiralPresent: [true, true])
        let b = try handBatch(images: images, bar: Array(Self.pattern(2, 32).prefix(16)) + Array(repeating: 1, count: 16), spiral: spiral,
                              barPresent: [true, false], spiralPresent: [true, true])
        let la = try model.loss(a), lb = try model.loss(b)
        #expect(la.total.storage == lb.total.storage, "\(kind): \(la.total.storage) vs \(lb.total.storage)")
        #expect(la.parts["bar_\(kind.rawValue)"] == lb.parts["bar_\(kind.rawValue)"])

        // The bar part is galaxy 0's bar loss alone (the mean over galaxies that have one),
        // and galaxy 0 carries the whole bar term, weighted 1.
        let z = try model.logits(a.images)
        let per = try kind.perExample(logits: z.sliced(axis: 1, start: 0, end: 1), targets: try #require(a.masks["bar"]))
        let spiralPer = try kind.perExample(logits: z.sliced(axis: 1, start: 1, end: 2), targets: try #require(a.masks["spiral"]))
        #expect(Swift.abs(try #require(la.parts["bar_\(kind.rawValue)"]) - Double(per.storage[0])) < 1e-6)
        #expect(Swift.abs(la.total.storage[0] - (2 * per.storage[0] + 2 * spiralPer.storage[0])) < 1e-5, "galaxy 0: bar ×2 (excluding galaxy 1) + spiral weighted 2")
        #expect(Swift.abs(la.total.storage[1] - 2 * spiralPer.storage[1]) < 1e-5, "galaxy 1: only its spiral term")
    }

    @Test func noGalaxyWithTheMaskMeansNoGradientFromIt() throws {
        let net = PixelNetwork(classes: 1)
        let model = SegmentationModel(network: net, classes: ["bar"], weights: [1], loss: .diceBCE, inputNorm: nil)
        let batch = try handBatch(images: Self.pattern(1, 32), bar: Self.pattern(2, 32), spiral: Self.pattern(3, 32),
                                  barPresent: [false, false], spiralPresent: [true, true])
        let l = try model.loss(batch)
        try l.total.mean().backward()
        #expect(l.total.storage == [0, 0])
        #expect(net.scale.grad?.storage.allSatisfy { $0 == 0 } ?? true)
    }
}
