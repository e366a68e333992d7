import TestSupport
import Foundation
import Testing
@testable import Framework
@testable import SegmentationPlugin

@Suite("U-Net decoders on every backbone family, and zoobot-3d's residual U-Net")
struct DecoderShapeTests {
    static func network(backbone kind: String, classes: Int = 2) throws -> BackboneUNet {
        let family = try #require(BackboneFamily.builtIn.first { $0.kind == kind })
        var context = ComponentContext(seed: 3, registry: Registry(), inChannels: 3)
        let backbone = try family.make(options: BackboneOptions(), context: context)
        context.describe(backbone)
        var rng = RandomGenerator(seed: 5)
        return try BackboneUNet(backbone: backbone, context: context, classes: classes, widths: nil, rng: &rng)
    }

    static func images(_ n: Int, _ size: Int, seed: UInt64 = 1) throws -> Tensor {
        var rng = RandomGenerator(seed: seed)
        return try Tensor.uniform([n, 3, size, size], low: 0, high: 1, using: &rng)
    }

    // The small CNN has strides 2, 4, 8; ResNet, ConvNeXt and EfficientNet 4 … 32.
    @Test("logits at the input resolution", arguments: ["small_cnn", "compact", "resnet18", "convnext_pico", "efficientnet_b0"])
    func outputMatchesInput(kind: String) throws {
        let net = try Self.network(backbone: kind)
        #expect(net.decoder.strides == net.backbone.featureStrides)
        #expect(net.decoder.refineStrides.last == 1, "refined to stride 1 from \(net.decoder.strides)")
        for size in [32, 40] {
            let z = try net.logits(Self.images(2, size))
            #expect(z.shape == [2, 2, size, size], "\(kind) at \(size) px: \(z.shape)")
        }
    }

    @Test func gradientsReachTheDecoderAndTheEncoder() throws {
        let net = try Self.network(backbone: "small_cnn", classes: 1)
        let loss = try net.logits(Self.images(2, 32)).square().mean()
        try loss.backward()
        for (name, t) in [("decoder classifier", net.decoder.classifier.weight), ("decoder projection", net.decoder.project.conv.weight),
                          ("encoder", net.backbone.namedParameters()[0].tensor)] {
            let g = try #require(t.grad, "\(name) has no gradient")
            #expect(g.storage.contains { $0 != 0 }, "\(name) gradient is all zero")
        }
    }

    @Test func residualUNetHasZoobot3DShape() throws {
        var rng = RandomGenerator(seed: 1)
        let net = try ResidualUNet(inChannels: 3, classes: 2, baseFilters: 32, multipliers: [1, 2, 4, 8], dropout: [0, 0, 0.3, 0.3], rng: &rng)
        #expect(net.widths == [32, 64, 128, 256])
        #expect(net.downs.map { $0.dropout?.probability } == [nil, nil, 0.3, 0.3])
        #expect(net.downs.map { $0.down != nil } == [true, true, true, false], "no downsampling after the deepest level")
        #expect(net.ups.map { $0.res1.block1.conv.inChannels } == [512, 256, 128], "each up block takes (deeper, skip) concatenated")
        #expect(net.ups.map { $0.res2.block2.conv.outChannels } == [128, 64, 32])
        let names = Set(net.namedModules().map(\.name))
        #expect(names.contains("downs.2.dropout") && names.contains("mid2.block1.conv") && names.contains("ups.0.up"))
        let small = try ResidualUNet(inChannels: 3, classes: 2, baseFilters: 4, multipliers: [1, 2, 4, 8], dropout: [0, 0, 0.3, 0.3], rng: &rng)
        #expect(try small.logits(Self.images(2, 32)).shape == [2, 2, 32, 32])
        #expect(throws: TensorError.self) { try small.logits(Self.images(1, 36)) }
    }
}
