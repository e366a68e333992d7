import Foundation

/// EfficientNet in timm's layout (`conv_stem`, `bn1`, `blocks.S.B.*`, `conv_head`, `bn2`),
/// built from the B0 architecture definition scaled by a width and a depth multiplier with
/// timm's rounding rules, so B0 and any narrower or deeper variant are configurations.
///
/// SiLU everywhere, squeeze-excite in every block (reduced width a quarter of the block's
/// input channels), depthwise convolutions with symmetric padding (timm's non-TF variants),
/// no drop-path (it is the identity at inference, and off in training by default in timm).
public final class EfficientNet: Module, Backbone, Layer {
    /// One row of the architecture definition: a stage of identical blocks.
    public struct Stage: Sendable {
        /// `depthwiseSeparable` (timm `ds`: depthwise, SE, pointwise) or `invertedResidual`
        /// (timm `ir`: expand, depthwise, SE, project).
        public enum Kind: Sendable { case depthwiseSeparable, invertedResidual }
        public var kind: Kind
        public var repeats: Int
        public var kernel: Int
        public var stride: Int
        public var expansion: Double
        public var channels: Int
        public var seRatio: Double

        public init(_ kind: Kind, repeats: Int, kernel: Int, stride: Int, expansion: Double, channels: Int,
                    seRatio: Double = 0.25) {
            self.kind = kind
            self.repeats = repeats
            self.kernel = kernel
            self.stride = stride
            self.expansion = expansion
            self.channels = channels
            self.seRatio = seRatio
        }
    }

    /// timm's `efficientnet_b0` definition (`ds_r1_k3_s1_e1_c16_se0.25`, `ir_r2_k3_s2_e6_c24_se0.25`, …).
    public static let b0Stages: [Stage] = [
        Stage(.depthwiseSeparable, repeats: 1, kernel: 3, stride: 1, expansion: 1, channels: 16),
        Stage(.invertedResidual, repeats: 2, kernel: 3, stride: 2, expansion: 6, channels: 24),
        Stage(.invertedResidual, repeats: 2, kernel: 5, stride: 2, expansion: 6, channels: 40),
        Stage(.invertedResidual, repeats: 3, kernel: 3, stride: 2, expansion: 6, channels: 80),
        Stage(.invertedResidual, repeats: 3, kernel: 5, stride: 1, expansion: 6, channels: 112),
        Stage(.invertedResidual, repeats: 4, kernel: 5, stride: 2, expansion: 6, channels: 192),
        Stage(.invertedResidual, repeats: 1, kernel: 3, stride: 1, expansion: 6, channels: 320),
    ]

    let convStem: Conv2d
    let bn1: BatchNorm2d
    let blocks: [Sequential]
    let convHead: Conv2d
    let bn2: BatchNorm2d

    public let embeddingWidth: Int
    public let featureChannels: [Int]
    /// Indices of the stages whose outputs are the stride 4, 8, 16 and 32 feature maps: the
    /// last stage before each downsampling, as timm's `feature_info`.
    let featureStages: [Int]

    override public var keyNames: [String: String] {
        ["convStem": "conv_stem", "convHead": "conv_head"]
    }

    public var blockPrefixes: [String] {
        ["conv_stem", "bn1"] + blocks.indices.map { "blocks.\($0)" } + ["conv_head", "bn2"]
    }

    /// - Parameters:
    ///   - channelMultiplier: scales every width, rounded to a multiple of 8 as timm's
    ///     `round_channels` does.
    ///   - depthMultiplier: scales each stage's repeats, rounded up (timm's `depth_trunc='ceil'`).
    public init(stages: [Stage] = EfficientNet.b0Stages, channelMultiplier: Double = 1, depthMultiplier: Double = 1,
                stemWidth: Int = 32, headWidth: Int = 1280, inChannels: Int = 3, rng: inout RandomGenerator) {
        precondition(channelMultiplier > 0 && depthMultiplier > 0, "EfficientNet: multipliers must be positive")
        func width(_ c: Int) -> Int { Self.makeDivisible(Double(c) * channelMultiplier) }
        let stem = width(stemWidth)
        convStem = Conv2d(inChannels, stem, kernel: 3, stride: 2, padding: Self.padding(kernel: 3, stride: 2),
                          bias: false, rng: &rng)
        bn1 = BatchNorm2d(stem)

        var channels = stem
        var stride = 2
        var built: [Sequential] = []
        var featureStages: [Int] = []
        var featureChannels: [Int] = []
        for (s, stage) in stages.enumerated() {
            let out = width(stage.channels)
            let repeats = Int((Double(stage.repeats) * depthMultiplier).rounded(.up))
            var layers: [any Layer] = []
            for b in 0..<max(1, repeats) {
                let blockStride = b == 0 ? stage.stride : 1
                switch stage.kind {
                case .depthwiseSeparable:
                    layers.append(DepthwiseSeparableBlock(in: channels, out: out, kernel: stage.kernel, stride: blockStride,
                                                          seRatio: stage.seRatio, rng: &rng))
                case .invertedResidual:
                    layers.append(InvertedResidualBlock(in: channels, out: out, kernel: stage.kernel, stride: blockStride,
                                                        expansion: stage.expansion, seRatio: stage.seRatio, rng: &rng))
                }
                channels = out
            }
            built.append(Sequential(layers))
            stride *= stage.stride
            let nextDownsamples = s + 1 == stages.count || stages[s + 1].stride > 1
            if nextDownsamples && [4, 8, 16, 32].contains(stride) {
                featureStages.append(s)
                featureChannels.append(out)
            }
        }
        precondition(featureStages.count == 4, "EfficientNet: the stages must reach strides 4, 8, 16 and 32")
        blocks = built
        self.featureStages = featureStages
        self.featureChannels = featureChannels
        embeddingWidth = width(headWidth)
        convHead = Conv2d(channels, embeddingWidth, kernel: 1, bias: false, rng: &rng)
        bn2 = BatchNorm2d(embeddingWidth)
        super.init()
    }

    /// timm `efficientnet_b0`: 5.3 M parameters with a 1000-class head, 4.0 M as an encoder.
    public static func efficientnetB0(inChannels: Int = 3, rng: inout RandomGenerator) -> EfficientNet {
        EfficientNet(inChannels: inChannels, rng: &rng)
    }

    /// timm's `make_divisible`: nearest multiple of `divisor`, at least `divisor`, and never
    /// more than 10 % below `value`.
    public static func makeDivisible(_ value: Double, divisor: Int = 8) -> Int {
        var rounded = Swift.max(divisor, Int(value + Double(divisor) / 2) / divisor * divisor)
        if Double(rounded) < 0.9 * value { rounded += divisor }
        return rounded
    }

    /// timm's symmetric padding for a non-TF convolution: ((stride − 1) + (kernel − 1)) / 2.
    static func padding(kernel: Int, stride: Int) -> Int { ((stride - 1) + (kernel - 1)) / 2 }

    /// A bias-free depthwise convolution with timm's padding.
    static func depthwise(_ channels: Int, kernel: Int, stride: Int, rng: inout RandomGenerator) -> Conv2d {
        Conv2d(channels, channels, kernel: kernel, stride: stride, padding: padding(kernel: kernel, stride: stride),
               groups: channels, bias: false, rng: &rng)
    }

    public func features(_ x: Tensor) throws -> [Tensor] {
        try trunk(x).features
    }

    public func embed(_ x: Tensor) throws -> Tensor {
        try convHead(trunk(x).output, batchNorm: bn2, activation: .silu).globalAvgPool()
    }

    /// The embedding (timm's `num_classes=0` output).
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try embed(x) }

    /// Stem and stages: the four feature maps and the last stage's output.
    private func trunk(_ x: Tensor) throws -> (features: [Tensor], output: Tensor) {
        var y = try convStem(x, batchNorm: bn1, activation: .silu)
        var maps: [Tensor] = []
        for (s, stage) in blocks.enumerated() {
            y = try stage(y)
            if featureStages.contains(s) { maps.append(y) }
        }
        return (maps, y)
    }
}

/// timm's squeeze-excite for EfficientNet: global average, 1×1 reduce, SiLU, 1×1 expand,
/// sigmoid gate on the input.
final class SqueezeExcite: Module, Layer {
    let convReduce: Conv2d
    let convExpand: Conv2d

    override var keyNames: [String: String] { ["convReduce": "conv_reduce", "convExpand": "conv_expand"] }

    init(channels: Int, reduced: Int, rng: inout RandomGenerator) {
        convReduce = Conv2d(channels, reduced, kernel: 1, rng: &rng)
        convExpand = Conv2d(reduced, channels, kernel: 1, rng: &rng)
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let pooled = try x.mean(axes: [2, 3], keepDims: true)
        let gate = try convExpand(convReduce(pooled).silu()).sigmoid()
        return try x * gate
    }

    /// The block's squeeze-excite on its `channels` (expanded) width, nil when `seRatio` is 0.
    /// timm's reduced width: the ratio applies to the block input, so on the expanded width
    /// it is `seRatio / expansion`, rounded half to even as Python's `round`.
    static func ifEnabled(channels: Int, seRatio: Double, expansion: Double, rng: inout RandomGenerator) -> SqueezeExcite? {
        guard seRatio > 0 else { return nil }
        let reduced = Swift.max(1, Int((Double(channels) * (seRatio / expansion)).rounded(.toNearestOrEven)))
        return SqueezeExcite(channels: channels, reduced: reduced, rng: &rng)
    }
}

/// timm's `DepthwiseSeparableConv` (`ds`): depthwise conv, BN, SiLU, SE, pointwise conv, BN,
/// with a residual when the shape is kept.
final class DepthwiseSeparableBlock: Module, Layer {
    let convDw: Conv2d
    let bn1: BatchNorm2d
    let se: SqueezeExcite?
    let convPw: Conv2d
    let bn2: BatchNorm2d
    let hasSkip: Bool

    override var keyNames: [String: String] { ["convDw": "conv_dw", "convPw": "conv_pw"] }

    init(in cin: Int, out: Int, kernel: Int, stride: Int, seRatio: Double, rng: inout RandomGenerator) {
        convDw = EfficientNet.depthwise(cin, kernel: kernel, stride: stride, rng: &rng)
        bn1 = BatchNorm2d(cin)
        se = SqueezeExcite.ifEnabled(channels: cin, seRatio: seRatio, expansion: 1, rng: &rng)
        convPw = Conv2d(cin, out, kernel: 1, bias: false, rng: &rng)
        bn2 = BatchNorm2d(out)
        hasSkip = stride == 1 && cin == out
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        var y = try convDw(x, batchNorm: bn1, activation: .silu)
        if let se { y = try se(y) }
        y = try convPw(y, batchNorm: bn2)
        return hasSkip ? try y + x : y
    }
}

/// timm's `InvertedResidual` (`ir`, MBConv): 1×1 expansion, BN, SiLU, depthwise conv, BN,
/// SiLU, SE, 1×1 projection, BN, with a residual when the shape is kept.
final class InvertedResidualBlock: Module, Layer {
    let convPw: Conv2d
    let bn1: BatchNorm2d
    let convDw: Conv2d
    let bn2: BatchNorm2d
    let se: SqueezeExcite?
    let convPwl: Conv2d
    let bn3: BatchNorm2d
    let hasSkip: Bool

    override var keyNames: [String: String] { ["convPw": "conv_pw", "convDw": "conv_dw", "convPwl": "conv_pwl"] }

    init(in cin: Int, out: Int, kernel: Int, stride: Int, expansion: Double, seRatio: Double, rng: inout RandomGenerator) {
        let mid = EfficientNet.makeDivisible(Double(cin) * expansion)
        convPw = Conv2d(cin, mid, kernel: 1, bias: false, rng: &rng)
        bn1 = BatchNorm2d(mid)
        convDw = EfficientNet.depthwise(mid, kernel: kernel, stride: stride, rng: &rng)
        bn2 = BatchNorm2d(mid)
        se = SqueezeExcite.ifEnabled(channels: mid, seRatio: seRatio, expansion: expansion, rng: &rng)
        convPwl = Conv2d(mid, out, kernel: 1, bias: false, rng: &rng)
        bn3 = BatchNorm2d(out)
        hasSkip = stride == 1 && cin == out
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        var y = try convPw(x, batchNorm: bn1, activation: .silu)
        y = try convDw(y, batchNorm: bn2, activation: .silu)
        if let se { y = try se(y) }
        y = try convPwl(y, batchNorm: bn3)
        return hasSkip ? try y + x : y
    }
}
