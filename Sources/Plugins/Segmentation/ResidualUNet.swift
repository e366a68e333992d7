import Framework

/// The standalone U-Net of zoobot-3d (Walmsley & Spindler 2023): per level two residual
/// blocks of width `baseFilters × multiplier`, optional dropout and a stride-2 3×3
/// convolution down (none after the deepest level); two residual blocks in the middle; and
/// per level back up, the matching skip concatenated, two residual blocks and a 4×4
/// stride-2 transposed convolution. A 3×3 convolution unit back to the input's channel
/// count, Mish, and a 1×1 convolution give one logit per class.
///
/// As in zoobot-3d the shallowest level's output is not used as a skip (the decoder's last
/// upsampling lands on the input resolution directly). The output is a logit here (zoobot-3d
/// ends in a ReLU for its MSE loss); the task takes the sigmoid, so every loss works on
/// probabilities in [0, 1].
final class ResidualUNet: Module, MaskNetwork {
    /// One encoder level.
    final class Down: Module {
        let res1: ResidualBlock
        let res2: ResidualBlock
        let dropout: Dropout?
        let down: Conv2d?

        init(_ inChannels: Int, _ outChannels: Int, dropout p: Float, last: Bool, rng: inout RandomGenerator) {
            res1 = ResidualBlock(inChannels, outChannels, rng: &rng)
            res2 = ResidualBlock(outChannels, outChannels, rng: &rng)
            dropout = p > 0 ? Dropout(p) : nil
            down = last ? nil : Conv2d(outChannels, outChannels, kernel: 3, stride: 2, padding: 1, rng: &rng)
            super.init()
        }
    }

    /// One decoder level.
    final class Up: Module {
        let res1: ResidualBlock
        let res2: ResidualBlock
        let up: ConvTranspose2d

        init(skipChannels: Int, outChannels: Int, rng: inout RandomGenerator) {
            res1 = ResidualBlock(2 * skipChannels, outChannels, rng: &rng)
            res2 = ResidualBlock(outChannels, outChannels, rng: &rng)
            up = ConvTranspose2d(outChannels, outChannels, kernel: 4, stride: 2, padding: 1, rng: &rng)
            super.init()
        }
    }

    let downs: [Down]
    let mid1: ResidualBlock
    let mid2: ResidualBlock
    let ups: [Up]
    let finalUnit: ConvNormBlock
    let classifier: Conv2d
    let widths: [Int]

    /// - Parameters:
    ///   - multipliers: width multipliers of the levels (zoobot-3d: 1, 2, 4, 8).
    ///   - dropout: dropout probability per level (zoobot-3d: 0, 0, 0.3, 0.3).
    init(inChannels: Int, classes: Int, baseFilters: Int, multipliers: [Int], dropout: [Float], rng: inout RandomGenerator) throws {
        guard multipliers.count >= 2, multipliers.allSatisfy({ $0 > 0 }), baseFilters > 0 else {
            throw ConfigError(file: "task", message: "decoder: residual-unet needs base_filters > 0 and at least two positive multipliers, got \(baseFilters) and \(multipliers)")
        }
        guard dropout.count == multipliers.count, dropout.allSatisfy({ $0 >= 0 && $0 < 1 }) else {
            throw ConfigError(file: "task", message: "decoder.dropout needs one probability in [0, 1) per level (\(multipliers.count) levels), got \(dropout)")
        }
        let widths = multipliers.map { baseFilters * $0 }
        let ins = [inChannels] + widths.dropLast()
        downs = widths.indices.map { Down(ins[$0], widths[$0], dropout: dropout[$0], last: $0 == widths.count - 1, rng: &rng) }
        mid1 = ResidualBlock(widths.last!, widths.last!, rng: &rng)
        mid2 = ResidualBlock(widths.last!, widths.last!, rng: &rng)
        // Deepest first: the skip of level i has widths[i] channels, the block leaves widths[i − 1].
        ups = stride(from: widths.count - 1, to: 0, by: -1).map { Up(skipChannels: widths[$0], outChannels: widths[$0 - 1], rng: &rng) }
        finalUnit = ConvNormBlock(widths[0], inChannels, activation: .mish, rng: &rng)
        classifier = Conv2d(inChannels, classes, kernel: 1, rng: &rng)
        self.widths = widths
        super.init()
        Self.setPrior(classifier.bias, foreground: 0.05)
    }

    /// The input side must halve exactly at every downsampling.
    var sizeMultiple: Int { 1 << (widths.count - 1) }

    func logits(_ images: Tensor) throws -> Tensor {
        let h = images.shape[2], w = images.shape[3]
        guard h % sizeMultiple == 0, w % sizeMultiple == 0 else {
            throw TensorError.invalidArgument(op: "residual-unet", message: "image size \(h)×\(w) must be a multiple of \(sizeMultiple) for \(widths.count) levels")
        }
        var x = images
        var skips: [Tensor] = []
        for level in downs {
            x = try level.res2(level.res1(x))
            if let d = level.dropout { x = try d(x) }
            skips.append(x)
            if let down = level.down { x = try down(x) }
        }
        x = try mid2(mid1(x))
        for level in ups {
            x = try Tensor.concat([x, skips.removeLast()], axis: 1)
            x = try level.up(level.res2(level.res1(x)))
        }
        return try classifier(finalUnit(x))
    }

    func parameterGroups(learningRate: Float, layerDecay: Float, weightDecay: Float) -> [ParameterGroup] {
        [ParameterGroup(name: "residual-unet", parameters: trainableParameters(), learningRate: learningRate, weightDecay: weightDecay)]
    }

    func freezeEncoder() {}

    var summary: String { "zoobot-3d residual U-Net, widths \(widths) (\(parameterCount) parameters)" }
}
