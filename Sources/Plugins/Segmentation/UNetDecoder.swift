import Framework

/// A U-Net decoder on any backbone's feature maps: from the deepest map up, each level is
/// upsampled (bilinear) to the next shallower map's size, concatenated with it (the skip
/// connection) and fused by two convolution units; from the shallowest map's stride it
/// doubles the resolution until it reaches the input, where the image itself is the last
/// skip, and a 1×1 convolution gives one logit per class.
///
/// Strides and channels come from the backbone (`ComponentContext.featureStrides` /
/// `featureChannels`), so the same decoder sits on the small CNN (2, 4, 8) and on ResNet,
/// ConvNeXt or EfficientNet (4 … 32).
final class UNetDecoder: Module {
    /// 1×1 projection of the deepest map to its decoder width.
    let project: ConvNormBlock
    /// Per skip level, shallowest first: two units fusing (upsampled deeper, skip).
    let fuse: [Sequential]
    /// Stride-halving steps from the shallowest map to the input resolution.
    let refine: [ConvNormBlock]
    let classifier: Conv2d
    let strides: [Int]
    /// Strides the refine steps reach, in order (the last is 1).
    let refineStrides: [Int]

    /// - Parameters:
    ///   - widths: decoder channels per level (default: the level's channels, at most 128).
    init(featureChannels: [Int], featureStrides: [Int], inChannels: Int, classes: Int, widths: [Int]?,
         rng: inout RandomGenerator) throws {
        guard !featureChannels.isEmpty, featureChannels.count == featureStrides.count else {
            throw ConfigError(file: "task", message: "the U-Net decoder needs the backbone's feature maps; it reports channels \(featureChannels) at strides \(featureStrides)")
        }
        guard zip(featureStrides, featureStrides.dropFirst()).allSatisfy({ $0 < $1 }), featureStrides[0] >= 1 else {
            throw ConfigError(file: "task", message: "the U-Net decoder needs feature strides increasing from the shallowest map; the backbone has \(featureStrides)")
        }
        let widths = widths ?? featureChannels.map { min($0, 128) }
        guard widths.count == featureChannels.count, widths.allSatisfy({ $0 > 0 }) else {
            throw ConfigError(file: "task", message: "decoder.widths needs \(featureChannels.count) positive widths, one per feature map (strides \(featureStrides)); got \(widths)")
        }
        let k = featureChannels.count - 1
        project = ConvNormBlock(featureChannels[k], widths[k], kernel: 1, activation: .relu, rng: &rng)
        var fuse: [Sequential] = []
        for i in 0..<k {
            fuse.append(Sequential(ConvNormBlock(widths[i + 1] + featureChannels[i], widths[i], activation: .relu, rng: &rng),
                                   ConvNormBlock(widths[i], widths[i], activation: .relu, rng: &rng)))
        }
        self.fuse = fuse
        // Halve the stride while it stays whole; an odd stride goes to 1 in one step.
        var steps: [Int] = []
        var s = featureStrides[0]
        while s > 1 { s = s % 2 == 0 ? s / 2 : 1; steps.append(s) }
        var width = widths[0], refine: [ConvNormBlock] = []
        for step in steps {
            let out = max(16, width / 2)
            refine.append(ConvNormBlock(width + (step == 1 ? inChannels : 0), out, activation: .relu, rng: &rng))
            width = out
        }
        self.refine = refine
        refineStrides = steps
        classifier = Conv2d(width + (steps.isEmpty ? inChannels : 0), classes, kernel: 1, rng: &rng)
        strides = featureStrides
        super.init()
    }

    /// Logits [N, classes, H, W] from the feature maps of `images` [N, C, H, W].
    func callAsFunction(features: [Tensor], images: Tensor) throws -> Tensor {
        guard features.count == strides.count else {
            throw TensorError.invalidArgument(op: "unet decoder", message: "\(features.count) feature maps for a decoder built for strides \(strides)")
        }
        var x = try project(features[features.count - 1])
        for i in stride(from: features.count - 2, through: 0, by: -1) {
            let skip = features[i]
            let up = try x.upsampleBilinear(size: (skip.shape[2], skip.shape[3]))
            x = try fuse[i](Tensor.concat([up, skip], axis: 1))
        }
        let h = images.shape[2], w = images.shape[3]
        for (step, unit) in zip(refineStrides, refine) {
            let size = step == 1 ? (h, w) : ((h + step - 1) / step, (w + step - 1) / step)
            x = try x.upsampleBilinear(size: size)
            if step == 1 { x = try Tensor.concat([x, images], axis: 1) }
            x = try unit(x)
        }
        if refineStrides.isEmpty { x = try Tensor.concat([x, images], axis: 1) }
        return try classifier(x)
    }
}
