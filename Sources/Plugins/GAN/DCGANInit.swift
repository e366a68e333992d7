import Framework

/// DCGAN's weight initialisation (Radford et al. 2016): convolution weights from N(0, 0.02),
/// BatchNorm scales from N(1, 0.02) and shifts 0.
enum DCGANInit {
    static func convolution(_ weight: Tensor, rng: inout RandomGenerator) {
        weight.storage = (0..<weight.count).map { _ in 0.02 * rng.normal() }
    }

    static func batchNorm(_ bn: BatchNorm2d, rng: inout RandomGenerator) {
        bn.weight.storage = (0..<bn.weight.count).map { _ in 1 + 0.02 * rng.normal() }
        bn.bias.storage = [Float](repeating: 0, count: bn.bias.count)
    }

    /// Upsampling or downsampling steps between a 4×4 map and an image of side `size`, which
    /// must be a power of two from 32 to 128.
    static func steps(imageSize size: Int) throws -> Int {
        guard [32, 64, 128].contains(size) else {
            throw ConfigError(file: "data", message: "the gan task needs an image size that is a power of two from 32 to 128, got \(size)")
        }
        return size.trailingZeroBitCount - 2
    }
}
