import Framework

/// zoobot-3d's residual block: two 3×3 convolution + BatchNorm units with Mish between and
/// after, and the input added back (through a 1×1 convolution when the width changes).
final class ResidualBlock: Module, Layer {
    let block1: ConvNormBlock
    let block2: ConvNormBlock
    let shortcut: Conv2d?

    init(_ inChannels: Int, _ outChannels: Int, rng: inout RandomGenerator) {
        block1 = ConvNormBlock(inChannels, outChannels, activation: .mish, rng: &rng)
        block2 = ConvNormBlock(outChannels, outChannels, activation: .none, rng: &rng)
        shortcut = inChannels == outChannels ? nil : Conv2d(inChannels, outChannels, kernel: 1, rng: &rng)
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let h = try block2(block1(x))
        return try (h + (shortcut.map { try $0(x) } ?? x)).mish()
    }
}
