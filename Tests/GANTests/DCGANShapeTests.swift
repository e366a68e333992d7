import Framework
import Testing
@testable import GANPlugin

@Suite("DCGAN generator and discriminator shapes")
struct DCGANShapeTests {
    @Test("every power-of-two size from 32 to 128, 1 or 3 bands", arguments: [32, 64, 128], [1, 3])
    func shapes(size: Int, bands: Int) throws {
        var rng = RandomGenerator(seed: 1)
        let g = try DCGANGenerator(latent: 100, width: 4, channels: bands, imageSize: size, rng: &rng)
        let d = try DCGANDiscriminator(width: 4, channels: bands, imageSize: size, rng: &rng)
        let z = try Tensor.randn([2, 100], using: &rng)
        let x = try g(z)
        #expect(x.shape == [2, bands, size, size])
        #expect(x.storage.allSatisfy { abs($0) <= 1 }, "tanh output")
        #expect(try d(x).shape == [2])
        // One 4×4 map per step down to 4×4, then the last layer: log2(size) − 2 strided layers.
        #expect(d.convs.count == size.trailingZeroBitCount - 1)
        #expect(g.convs.count == size.trailingZeroBitCount - 1)
    }

    @Test func publishedLayout() throws {
        var rng = RandomGenerator(seed: 2)
        let g = try DCGANGenerator(latent: 100, width: 64, channels: 3, imageSize: 64, rng: &rng)
        let d = try DCGANDiscriminator(width: 64, channels: 3, imageSize: 64, rng: &rng)
        // DCGAN at 64 px: ngf·8 → ngf·4 → ngf·2 → ngf → 3; ndf → ndf·2 → ndf·4 → ndf·8 → 1.
        #expect(g.convs.map { $0.weight.shape[1] } == [512, 256, 128, 64, 3])
        #expect(d.convs.map { $0.weight.shape[0] } == [64, 128, 256, 512, 1])
        #expect(g.norms.count == 4 && d.norms.count == 3, "no BatchNorm on D's first layer or either output layer")
        #expect(g.convs.allSatisfy { $0.bias == nil } && d.convs.allSatisfy { $0.bias == nil })
        // Weights N(0, 0.02): the sample std of 800k draws is within 1 % of 0.02.
        let w = g.convs[1].weight.storage
        let mean = w.reduce(0, +) / Float(w.count)
        let std = (w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(w.count)).squareRoot()
        #expect(abs(std - 0.02) < 0.0002 && abs(mean) < 0.0002, "std \(std), mean \(mean)")
        let scale = g.norms[0].weight.storage
        #expect(abs(scale.reduce(0, +) / Float(scale.count) - 1) < 0.01)
    }

    @Test func conditionalVariantsTakeOneClassPerRow() throws {
        var rng = RandomGenerator(seed: 3)
        let g = try DCGANGenerator(latent: 10, width: 4, channels: 3, imageSize: 32, classes: 3, embeddingWidth: 5, rng: &rng)
        let d = try DCGANDiscriminator(width: 4, channels: 3, imageSize: 32, classes: 3, spectralNorm: true, rng: &rng)
        let z = try Tensor.randn([3, 10], using: &rng)
        let x = try g(z, labels: [0, 1, 2])
        #expect(x.shape == [3, 3, 32, 32])
        // The class changes the image for the same latent, and the logit for the same image.
        let other = try g(z, labels: [1, 2, 0])
        #expect(x.storage != other.storage)
        #expect(try d(x, labels: [0, 1, 2]).storage != (try d(x, labels: [2, 0, 1]).storage))
        #expect(d.norms.isEmpty && d.spectral.count == d.convs.count, "spectral norm replaces BatchNorm on every layer")
        #expect(throws: TensorError.self) { try g(z, labels: [0, 1, 3]) }
        #expect(throws: TensorError.self) { try g(z) }
    }

    @Test func otherSizesAreRejectedByName() throws {
        var rng = RandomGenerator(seed: 4)
        #expect { try DCGANGenerator(latent: 8, width: 4, channels: 3, imageSize: 48, rng: &rng) } throws: { e in
            "\(e)".contains("power of two from 32 to 128") && "\(e)".contains("48")
        }
    }
}
