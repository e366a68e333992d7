/// The small VGG-style CNN of the PyTorch from-scratch recipe (`../shared/bench/
/// rings_reference.py`): per stage [conv3×3–BN–ReLU, conv3×3–BN–ReLU, maxpool 2], then
/// global average pooling. With widths 32/64/128 it is ≈ 0.29 M parameters — what a PyTorch
/// user trains from scratch on a few hundred galaxies, and the yardstick that shows whether
/// zoorun trains as PyTorch does.
///
/// Keys: `stages.<i>.<j>` with j the position in the stage's `nn.Sequential` (0 conv, 1 BN,
/// 3 conv, 4 BN). Feature maps are each stage's pooled output (strides 2, 4, 8 …).
public final class SmallCNN: Module, Backbone, Layer {
    let stages: [Sequential]
    public let embeddingWidth: Int
    public let featureChannels: [Int]
    public var blockPrefixes: [String] { stages.indices.map { "stages.\($0)" } }
    /// Each stage ends in a 2×2 max-pool: strides 2, 4, 8, …
    public var featureStrides: [Int] { stages.indices.map { 2 << $0 } }

    public init(inChannels: Int = 3, widths: [Int] = [32, 64, 128], rng: inout RandomGenerator) {
        precondition(!widths.isEmpty, "SmallCNN: at least one stage")
        var cin = inChannels
        var built: [Sequential] = []
        for c in widths {
            built.append(Sequential([
                Conv2d(cin, c, kernel: 3, padding: 1, bias: false, rng: &rng), BatchNorm2d(c), Activation(.relu),
                Conv2d(c, c, kernel: 3, padding: 1, bias: false, rng: &rng), BatchNorm2d(c), Activation(.relu),
                Pool(.max(kernel: 2, stride: 2, padding: 0)),
            ]))
            cin = c
        }
        stages = built
        embeddingWidth = widths.last!
        featureChannels = widths
        super.init()
    }

    public func features(_ x: Tensor) throws -> [Tensor] {
        try stageOutputs(x, through: stages)
    }

    public func embed(_ x: Tensor) throws -> Tensor {
        try features(x).last!.globalAvgPool()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try embed(x) }
}
