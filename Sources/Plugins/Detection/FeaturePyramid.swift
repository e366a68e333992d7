import Framework

/// A feature pyramid network, as torchvision's `FeaturePyramidNetwork` without the extra
/// pooled level: a 1×1 lateral convolution per backbone map, a top-down pathway that adds the
/// nearest-upsampled coarser level, and a 3×3 convolution per level, all to `channels`.
public final class FeaturePyramid: Module {
    public let innerBlocks: [Module]
    public let layerBlocks: [Module]

    override public var keyNames: [String: String] { ["innerBlocks": "inner_blocks", "layerBlocks": "layer_blocks"] }

    public init(inputs: [Int], channels: Int, rng: inout RandomGenerator) {
        innerBlocks = inputs.map { Conv2d($0, channels, kernel: 1, rng: &rng) }
        layerBlocks = inputs.map { _ in Conv2d(channels, channels, kernel: 3, padding: 1, rng: &rng) }
        super.init()
    }

    /// One map per input map, finest first, each with `channels` channels.
    public func callAsFunction(_ maps: [Tensor]) throws -> [Tensor] {
        let inner = innerBlocks.map { $0 as! Conv2d }, layer = layerBlocks.map { $0 as! Conv2d }
        var last = try inner[maps.count - 1](maps[maps.count - 1])
        var results = [try layer[maps.count - 1](last)]
        for i in stride(from: maps.count - 2, through: 0, by: -1) {
            let lateral = try inner[i](maps[i])
            last = try lateral + last.upsampleNearest(size: (lateral.shape[2], lateral.shape[3]))
            results.insert(try layer[i](last), at: 0)
        }
        return results
    }
}
