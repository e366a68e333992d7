/// ConvNeXt in timm's layout (`stem`, `stages.S.downsample`, `stages.S.blocks.B`, `head.norm`),
/// built from its stage depths and widths, so nano, pico and tiny are configurations.
///
/// Stem: 4×4 stride-4 convolution and channels-first LayerNorm. Stages 1–3 open with a
/// LayerNorm and a 2×2 stride-2 convolution. Blocks: 7×7 depthwise convolution, LayerNorm
/// over channels, a 4× MLP with exact GELU, layer scale `gamma`, residual. The pooled
/// embedding goes through `head.norm`, which timm keeps in a `num_classes=0` encoder.
///
/// `convMLP` picks between timm's two equivalent block layouts, whose checkpoints differ:
/// 1×1 convolutions on NCHW (`mlp.fc1.weight` [4C, C, 1, 1]; convnext_nano, _pico, _atto)
/// or Linear layers on channels-last maps (`mlp.fc1.weight` [4C, C]; convnext_tiny and up).
public final class ConvNeXt: Module, Backbone, Layer {
    let stem: Sequential
    let stages: [ConvNeXtStage]
    let head: ConvNeXtHead

    public let embeddingWidth: Int
    public let featureChannels: [Int]
    public var blockPrefixes: [String] { ["stem"] + stages.indices.map { "stages.\($0)" } + ["head"] }

    /// - Parameter layerScale: initial value of every block's `gamma` (timm's `ls_init_value`).
    public init(depths: [Int], widths: [Int], convMLP: Bool, inChannels: Int = 3, kernel: Int = 7,
                layerScale: Float = 1e-6, rng: inout RandomGenerator) {
        precondition(depths.count == 4 && widths.count == 4, "ConvNeXt: four stages")
        stem = Sequential(Conv2d(inChannels, widths[0], kernel: 4, stride: 4, rng: &rng),
                          LayerNorm(widths[0], channelsFirst: true))
        var built: [ConvNeXtStage] = []
        for s in 0..<4 {
            built.append(ConvNeXtStage(in: s == 0 ? widths[0] : widths[s - 1], out: widths[s], depth: depths[s],
                                       downsample: s > 0, kernel: kernel, convMLP: convMLP, layerScale: layerScale, rng: &rng))
        }
        stages = built
        head = ConvNeXtHead(widths[3])
        embeddingWidth = widths[3]
        featureChannels = widths
        super.init()
    }

    /// timm `convnext_nano` (15.3 M parameters as an encoder; Zoobot's default encoder).
    public static func convnextNano(inChannels: Int = 3, rng: inout RandomGenerator) -> ConvNeXt {
        ConvNeXt(depths: [2, 2, 8, 2], widths: [80, 160, 320, 640], convMLP: true, inChannels: inChannels, rng: &rng)
    }

    /// timm `convnext_pico` (8.5 M parameters as an encoder).
    public static func convnextPico(inChannels: Int = 3, rng: inout RandomGenerator) -> ConvNeXt {
        ConvNeXt(depths: [2, 2, 6, 2], widths: [64, 128, 256, 512], convMLP: true, inChannels: inChannels, rng: &rng)
    }

    /// timm `convnext_tiny` (27.8 M parameters as an encoder; Linear MLP layout).
    public static func convnextTiny(inChannels: Int = 3, rng: inout RandomGenerator) -> ConvNeXt {
        ConvNeXt(depths: [3, 3, 9, 3], widths: [96, 192, 384, 768], convMLP: false, inChannels: inChannels, rng: &rng)
    }

    public func features(_ x: Tensor) throws -> [Tensor] {
        try stageOutputs(stem(x), through: stages)
    }

    public func embed(_ x: Tensor) throws -> Tensor {
        try head(features(x)[3].globalAvgPool())
    }

    /// The embedding (timm's `num_classes=0` output).
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try embed(x) }
}

/// A ConvNeXt stage: the optional downsampling (`downsample.0` LayerNorm, `downsample.1` 2×2
/// stride-2 convolution) and its blocks.
final class ConvNeXtStage: Module, Layer {
    let downsample: Sequential?
    let blocks: [ConvNeXtBlock]

    init(in cin: Int, out: Int, depth: Int, downsample: Bool, kernel: Int, convMLP: Bool, layerScale: Float,
         rng: inout RandomGenerator) {
        self.downsample = downsample
            ? Sequential(LayerNorm(cin, channelsFirst: true), Conv2d(cin, out, kernel: 2, stride: 2, rng: &rng))
            : nil
        var blocks: [ConvNeXtBlock] = []
        for _ in 0..<depth {
            blocks.append(ConvNeXtBlock(out, kernel: kernel, convMLP: convMLP, layerScale: layerScale, rng: &rng))
        }
        self.blocks = blocks
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        var y = try downsample.map { try $0(x) } ?? x
        for block in blocks { y = try block(y) }
        return y
    }
}

/// A ConvNeXt block: x + gamma · MLP(LayerNorm(depthwise(x))).
final class ConvNeXtBlock: Module, Layer {
    let gamma: Tensor
    let convDw: Conv2d
    let norm: LayerNorm
    let mlp: ConvNeXtMLP

    override var keyNames: [String: String] { ["convDw": "conv_dw"] }

    init(_ channels: Int, kernel: Int, convMLP: Bool, layerScale: Float, rng: inout RandomGenerator) {
        gamma = try! Tensor(repeating: layerScale, shape: [channels])
        gamma.requiresGrad = true
        convDw = Conv2d(channels, channels, kernel: kernel, padding: kernel / 2, groups: channels, rng: &rng)
        norm = LayerNorm(channels, channelsFirst: convMLP)
        mlp = ConvNeXtMLP(channels, hidden: 4 * channels, convolutional: convMLP, rng: &rng)
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let y = try convDw(x)
        let branch: Tensor
        if mlp.convolutional {
            branch = try mlp(norm(y)) * gamma.reshaped([1, gamma.count, 1, 1])
        } else {
            // Channels-last: LayerNorm and Linear act on the last axis, gamma broadcasts on it.
            branch = try (mlp(norm(y.permuted([0, 2, 3, 1]))) * gamma).permuted([0, 3, 1, 2])
        }
        return try x + branch
    }
}

/// The block MLP, `fc1` → GELU → `fc2`, as 1×1 convolutions (NCHW) or Linear layers
/// (channels-last), matching the two checkpoint layouts.
final class ConvNeXtMLP: Module, Layer {
    let fc1: any Layer
    let fc2: any Layer
    let convolutional: Bool

    init(_ channels: Int, hidden: Int, convolutional: Bool, rng: inout RandomGenerator) {
        if convolutional {
            fc1 = Conv2d(channels, hidden, kernel: 1, rng: &rng)
            fc2 = Conv2d(hidden, channels, kernel: 1, rng: &rng)
        } else {
            fc1 = Linear(channels, hidden, rng: &rng)
            fc2 = Linear(hidden, channels, rng: &rng)
        }
        self.convolutional = convolutional
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        try fc2(fc1(x).gelu())
    }
}

/// What remains of timm's `NormMlpClassifierHead` in an encoder: the LayerNorm applied to the
/// pooled embedding (`head.norm`; on [N, C] it is the same as timm's LayerNorm2d on [N, C, 1, 1]).
final class ConvNeXtHead: Module, Layer {
    let norm: LayerNorm

    init(_ channels: Int) {
        norm = LayerNorm(channels)
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try norm(x) }
}
