import TestSupport
import Foundation
import Testing
@testable import Framework
@testable import ClassifierPlugin

@Suite("Input standardisation: per-band statistics of the training split, carried by the checkpoint")
struct InputNormalizationTests {
    @Test func standardisesEachChannel() throws {
        let layer = InputNormalization(channels: 2)
        try layer.set(mean: [1, -2], std: [2, 0.5])
        let x = try Tensor(shape: [1, 2, 1, 2], storage: [3, 1, -2, -1])
        #expect(try layer(x).storage == [1, 0, 0, 2])
        #expect(Set(layer.namedBuffers().map(\.name)) == ["mean", "std"])
        #expect(throws: TensorError.self) { try layer.set(mean: [0, 0], std: [1, 0]) }
        #expect(throws: TensorError.self) { try layer.set(mean: [0], std: [1]) }
    }

    @Test func gradientReachesTheInput() throws {
        let layer = InputNormalization(channels: 1)
        try layer.set(mean: [0.5], std: [4])
        let x = try Tensor(shape: [1, 1, 2, 2], storage: [0, 1, 2, 3], requiresGrad: true)
        try layer(x).sum().backward()
        #expect(x.grad?.storage == [0.25, 0.25, 0.25, 0.25])
    }

    @Test func statisticsAreThoseOfTheChosenExamplesOnly() throws {
        let data = SyntheticDataset(count: 6, channels: 3, size: 16)
        let chosen = [0, 2, 5]
        let stats = try ChannelStatistics.compute(data, indices: chosen)
        // By hand: every pixel of the chosen examples, per channel, unbiased std.
        for c in 0..<3 {
            var values: [Double] = []
            for i in chosen {
                let img = try data.example(at: i).image
                values += (0..<256).map { Double(img.pixels[c * 256 + $0]) }
            }
            let m = values.reduce(0, +) / Double(values.count)
            let s = (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
            #expect(abs(Double(stats.mean[c]) - m) < 1e-5)
            #expect(abs(Double(stats.std[c]) - s) < 1e-5)
        }
        #expect(try ChannelStatistics.compute(data, indices: [1]) != stats)
        #expect(throws: TensorError.self) { try ChannelStatistics.compute(data, indices: []) }
    }

    @Test func smallCNNHasThePyTorchRecipesParameterCount() throws {
        var rng = RandomGenerator(seed: 1)
        let net = SmallCNN(rng: &rng)
        // rings_reference.py's small_cnn without its Linear(128, 2): 286,560 conv + 896 BN.
        #expect(net.parameterCount == 287_456)
        #expect(net.embeddingWidth == 128)
        let x = try Tensor.randn([2, 3, 64, 64], std: 1, using: &rng)
        #expect(try net.features(x).map(\.shape) == [[2, 32, 32, 32], [2, 64, 16, 16], [2, 128, 8, 8]])
        #expect(try net.embed(x).shape == [2, 128])
        #expect(net.stateDict().map(\.name).contains("stages.2.4.running_var"))
    }
}
