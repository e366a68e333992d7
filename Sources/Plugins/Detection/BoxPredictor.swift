import Framework

/// Class logits and per-class box deltas from the box head's representation, as
/// torchvision's `FastRCNNPredictor` (`cls_score`, `bbox_pred`).
public final class BoxPredictor: Module {
    public let clsScore: Linear
    public let bboxPred: Linear

    override public var keyNames: [String: String] { ["clsScore": "cls_score", "bboxPred": "bbox_pred"] }

    /// - Parameter classes: including background.
    public init(representation: Int, classes: Int, rng: inout RandomGenerator) {
        clsScore = Linear(representation, classes, rng: &rng)
        bboxPred = Linear(representation, classes * 4, rng: &rng)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> (logits: Tensor, deltas: Tensor) {
        (try clsScore(x), try bboxPred(x))
    }
}
