/// ResNet in the torchvision / timm layout (`conv1`, `bn1`, `layer1`…`layer4`, `fc`), built
/// from its block type and stage depths, so resnet18/34/50 are configurations, not copies.
public final class ResNet: Module, Backbone, Layer {
    /// The residual block family.
    public enum BlockKind: Sendable { case basic, bottleneck }

    let conv1: Conv2d
    let bn1: BatchNorm2d
    let layer1: [ResidualBlock]
    let layer2: [ResidualBlock]
    let layer3: [ResidualBlock]
    let layer4: [ResidualBlock]
    /// The classifier; absent for an encoder (timm's `num_classes=0`).
    let fc: Linear?

    public let embeddingWidth: Int
    public let featureChannels: [Int]
    public var blockPrefixes: [String] { ["conv1", "bn1", "layer1", "layer2", "layer3", "layer4"] }

    /// - Parameter stemKernel: 7 (torchvision) or 3 (the compact CPU network: at 64 px a 7×7
    ///   stem mostly sees padding).
    public init(block: BlockKind, depths: [Int], inChannels: Int = 3, numClasses: Int = 0,
                widths: [Int] = [64, 128, 256, 512], stemKernel: Int = 7, rng: inout RandomGenerator) {
        precondition(depths.count == 4 && widths.count == 4, "ResNet: four stages")
        let expansion = block == .basic ? 1 : 4
        conv1 = Conv2d(inChannels, widths[0], kernel: stemKernel, stride: 2, padding: stemKernel / 2, bias: false, rng: &rng)
        bn1 = BatchNorm2d(widths[0])
        var inplanes = widths[0]
        func stage(_ planes: Int, _ n: Int, _ stride: Int) -> [ResidualBlock] {
            var blocks: [ResidualBlock] = []
            for i in 0..<n {
                blocks.append(ResidualBlock(kind: block, inplanes: inplanes, planes: planes,
                                            stride: i == 0 ? stride : 1, rng: &rng))
                inplanes = planes * expansion
            }
            return blocks
        }
        layer1 = stage(widths[0], depths[0], 1)
        layer2 = stage(widths[1], depths[1], 2)
        layer3 = stage(widths[2], depths[2], 2)
        layer4 = stage(widths[3], depths[3], 2)
        embeddingWidth = widths[3] * expansion
        featureChannels = widths.map { $0 * expansion }
        fc = numClasses > 0 ? Linear(embeddingWidth, numClasses, rng: &rng) : nil
        super.init()
        // torchvision zero-initialises nothing by default; BN weight 1, bias 0 already.
    }

    public static func resnet18(inChannels: Int = 3, numClasses: Int = 0, rng: inout RandomGenerator) -> ResNet {
        ResNet(block: .basic, depths: [2, 2, 2, 2], inChannels: inChannels, numClasses: numClasses, rng: &rng)
    }
    public static func resnet34(inChannels: Int = 3, numClasses: Int = 0, rng: inout RandomGenerator) -> ResNet {
        ResNet(block: .basic, depths: [3, 4, 6, 3], inChannels: inChannels, numClasses: numClasses, rng: &rng)
    }
    public static func resnet50(inChannels: Int = 3, numClasses: Int = 0, rng: inout RandomGenerator) -> ResNet {
        ResNet(block: .bottleneck, depths: [3, 4, 6, 3], inChannels: inChannels, numClasses: numClasses, rng: &rng)
    }

    /// The project's compact CPU backbone (≈ 1.2 M parameters): a ResNet with a 3×3 stem,
    /// widths 32/64/128/192 and depths 1/1/2/1 — dense 3×3 convolutions, which run near
    /// GEMM speed on a CPU, at a fraction of ResNet-18's cost (≈ 20 M MACs at 64 px).
    public static func compact(inChannels: Int = 3, numClasses: Int = 0, rng: inout RandomGenerator) -> ResNet {
        ResNet(block: .basic, depths: [1, 1, 2, 1], inChannels: inChannels, numClasses: numClasses,
               widths: [32, 64, 128, 192], stemKernel: 3, rng: &rng)
    }

    public func features(_ x: Tensor) throws -> [Tensor] {
        var y = try conv1(x, batchNorm: bn1, activation: .relu)
        y = try y.maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1))
        var maps: [Tensor] = []
        for stage in [layer1, layer2, layer3, layer4] {
            for b in stage { y = try b(y) }
            maps.append(y)
        }
        return maps
    }

    public func embed(_ x: Tensor) throws -> Tensor {
        try features(x)[3].globalAvgPool()
    }

    /// Logits when the network has a classifier, else the embedding.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let e = try embed(x)
        return try fc.map { try $0(e) } ?? e
    }
}

/// A ResNet basic (two 3×3) or bottleneck (1×1, 3×3, 1×1) block with its projection
/// shortcut `downsample` (`0` conv, `1` BN) when the shape changes.
final class ResidualBlock: Module, Layer {
    let conv1: Conv2d
    let bn1: BatchNorm2d
    let conv2: Conv2d
    let bn2: BatchNorm2d
    let conv3: Conv2d?
    let bn3: BatchNorm2d?
    let downsample: Sequential?

    init(kind: ResNet.BlockKind, inplanes: Int, planes: Int, stride: Int, rng: inout RandomGenerator) {
        let expansion = kind == .basic ? 1 : 4
        switch kind {
        case .basic:
            conv1 = Conv2d(inplanes, planes, kernel: 3, stride: stride, padding: 1, bias: false, rng: &rng)
            bn1 = BatchNorm2d(planes)
            conv2 = Conv2d(planes, planes, kernel: 3, padding: 1, bias: false, rng: &rng)
            bn2 = BatchNorm2d(planes)
            conv3 = nil; bn3 = nil
        case .bottleneck:
            conv1 = Conv2d(inplanes, planes, kernel: 1, bias: false, rng: &rng)
            bn1 = BatchNorm2d(planes)
            conv2 = Conv2d(planes, planes, kernel: 3, stride: stride, padding: 1, bias: false, rng: &rng)
            bn2 = BatchNorm2d(planes)
            conv3 = Conv2d(planes, planes * 4, kernel: 1, bias: false, rng: &rng)
            bn3 = BatchNorm2d(planes * 4)
        }
        if stride != 1 || inplanes != planes * expansion {
            downsample = Sequential(Conv2d(inplanes, planes * expansion, kernel: 1, stride: stride, bias: false, rng: &rng),
                                    BatchNorm2d(planes * expansion))
        } else {
            downsample = nil
        }
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let shortcut = try downsample.map { try $0(x) } ?? x
        var y = try conv1(x, batchNorm: bn1, activation: .relu)
        guard let conv3, let bn3 else {
            return try conv2(y, batchNorm: bn2, activation: .relu, residual: shortcut)
        }
        y = try conv2(y, batchNorm: bn2, activation: .relu)
        return try conv3(y, batchNorm: bn3, activation: .relu, residual: shortcut)
    }
}
