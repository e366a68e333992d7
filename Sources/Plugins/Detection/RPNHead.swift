import Framework

/// The region proposal network's layers, as torchvision's `RPNHead`: a 3×3 convolution and
/// ReLU shared by every level, then 1×1 convolutions to one objectness logit and four box
/// deltas per anchor. Weights start N(0, 0.01²), biases 0, as torchvision initialises them.
public final class RPNHead: Module {
    public let conv: Conv2d
    public let clsLogits: Conv2d
    public let bboxPred: Conv2d

    override public var keyNames: [String: String] { ["clsLogits": "cls_logits", "bboxPred": "bbox_pred"] }

    public init(channels: Int, anchorsPerLocation a: Int, rng: inout RandomGenerator) throws {
        conv = Conv2d(channels, channels, kernel: 3, padding: 1, rng: &rng)
        clsLogits = Conv2d(channels, a, kernel: 1, rng: &rng)
        bboxPred = Conv2d(channels, 4 * a, kernel: 1, rng: &rng)
        for layer in [conv, clsLogits, bboxPred] {
            layer.weight.storage = try Tensor.randn(layer.weight.shape, std: 0.01, using: &rng).storage
        }
        super.init()
    }

    /// Objectness logits [N, Σ HWA] and deltas [N, Σ HWA, 4] over all levels, each level
    /// flattened location-major then anchor (the anchors' order).
    public func callAsFunction(_ features: [Tensor]) throws -> (objectness: Tensor, deltas: Tensor) {
        var logits: [Tensor] = [], deltas: [Tensor] = []
        for x in features {
            let t = try conv(x).relu()
            let (n, h, w) = (x.shape[0], x.shape[2], x.shape[3])
            let a = clsLogits.outChannels
            logits.append(try clsLogits(t).permuted([0, 2, 3, 1]).reshaped([n, h * w * a]))
            deltas.append(try bboxPred(t).reshaped([n, a, 4, h, w]).permuted([0, 3, 4, 1, 2]).reshaped([n, h * w * a, 4]))
        }
        return (try Tensor.concat(logits, axis: 1), try Tensor.concat(deltas, axis: 1))
    }
}
