import Foundation
import Framework

/// The second stage: pools each proposal, runs the two-layer box head and the box predictor,
/// and either computes the Fast R-CNN losses (training) or turns the outputs into detections,
/// with torchvision's `RoIHeads` semantics.
///
/// In training the ground-truth boxes join the proposals, proposals are matched at IoU 0.5
/// without low-quality matches (label 0 is background) and `batchSizePerImage` are sampled per
/// image with at most `positiveFraction` positives; box targets use coder weights
/// (10, 10, 5, 5). Detections are the per-class decoded boxes, clipped, scoring above
/// `scoreThreshold`, at least `minSize` wide, suppressed per class at `nmsThreshold`, the best
/// `detectionsPerImage` per image.
public final class RoIHeads: Module {
    public struct Settings: Equatable, Sendable {
        public var foregroundIoU: Float = 0.5
        public var backgroundIoU: Float = 0.5
        public var batchSizePerImage = 512
        public var positiveFraction: Float = 0.25
        public var scoreThreshold: Float = 0.05
        public var nmsThreshold: Float = 0.5
        public var detectionsPerImage = 100
        public var minSize: Float = 1e-2
        public init() {}
    }

    /// The Fast R-CNN losses of a batch.
    public struct Losses {
        public var classification: Tensor
        public var boxRegression: Tensor
    }

    public let boxHead: TwoLayerBoxHead
    public let boxPredictor: BoxPredictor
    public let pooler: RoIPooler
    public let settings: Settings
    /// Foreground classes + 1 (background).
    public let classCount: Int
    let coder = BoxCoder.roiHead

    override public var keyNames: [String: String] { ["boxHead": "box_head", "boxPredictor": "box_predictor"] }

    public init(channels: Int, pooler: RoIPooler, representation: Int, classes: Int, settings: Settings,
                rng: inout RandomGenerator) {
        boxHead = TwoLayerBoxHead(inputs: channels * pooler.outputSize * pooler.outputSize, representation: representation, rng: &rng)
        boxPredictor = BoxPredictor(representation: representation, classes: classes + 1, rng: &rng)
        self.pooler = pooler
        self.settings = settings
        classCount = classes + 1
        super.init()
    }

    /// Class logits [K, classes + 1] and box deltas [K, 4 (classes + 1)] for the boxes of each image.
    public func outputs(_ features: [Tensor], boxes: [[Float]]) throws -> (logits: Tensor, deltas: Tensor) {
        try boxPredictor(boxHead(pooler(features, boxes: boxes)))
    }

    /// Training: ground truth joins the proposals; sampled proposals with their labels and
    /// box targets, per image.
    public func sampleProposals(_ proposals: [[Float]], targets: [[BoundingBox]], rng: inout RandomGenerator)
        -> (boxes: [[Float]], labels: [Int], regression: [Float]) {
        let matcher = Matcher(highThreshold: settings.foregroundIoU, lowThreshold: settings.backgroundIoU, allowLowQualityMatches: false)
        let sampler = BalancedSampler(batchSize: settings.batchSizePerImage, positiveFraction: settings.positiveFraction)
        var boxes: [[Float]] = [], labels: [Int] = [], regression: [Float] = []
        for (p, gt) in zip(proposals, targets) {
            let all = p + gt.flatMap(DetectionGeometry.corners)
            let count = all.count / 4
            let quality = BoxOps.iou(Self.boxes(all), gt)
            // BoxOps gives proposals × truths; the matcher wants truths × proposals.
            let byTruth = gt.indices.map { g in quality.map { $0[g] } }
            let matches = matcher(byTruth, predictions: count)
            let classes = matches.map { m in m >= 0 ? gt[m].label : (m == Matcher.background ? 0 : -1) }
            let (pos, neg) = sampler.sample(classes, using: &rng)
            let chosen = (pos + neg).sorted()
            let chosenBoxes = DetectionGeometry.select(all, chosen)
            // Background rows get a target too (against any box); the loss reads positives only.
            let matched = chosen.flatMap { i in matches[i] >= 0 ? DetectionGeometry.corners(gt[matches[i]]) : Array(all[(i * 4)..<(i * 4 + 4)]) }
            boxes.append(chosenBoxes)
            labels += chosen.map { classes[$0] }
            regression += coder.encode(matched, relativeTo: chosenBoxes)
        }
        return (boxes, labels, regression)
    }

    /// fastrcnn_loss: cross-entropy over all sampled proposals, and smooth L1 (β = 1/9) of
    /// each positive's deltas for its own class, summed and divided by all sampled.
    public func losses(logits: Tensor, deltas: Tensor, labels: [Int], regression: [Float]) throws -> Losses {
        let k = labels.count
        let classification = try Loss.crossEntropy(logits: logits, targets: labels).mean()
        let positives = labels.indices.filter { labels[$0] > 0 }
        let rows = positives.map { $0 * classCount + labels[$0] }
        let targets = positives.flatMap { regression[($0 * 4)..<($0 * 4 + 4)] }
        let box = try DetectionGeometry.smoothL1Sum(deltas.reshaped([k * classCount, 4]), rows: rows, targets: targets, dividedBy: k)
        return Losses(classification: classification, boxRegression: box)
    }

    /// Detections per image from the head's outputs for `proposals`, in input pixels.
    public func detections(logits: Tensor, deltas: Tensor, proposals: [[Float]], imageSize: (height: Int, width: Int)) throws
        -> [[DetectionMetrics.Detection]] {
        let probabilities = try logits.softmax(axis: 1).storage
        let c = classCount
        let decoded = coder.decode(deltas.storage, boxes: proposals.flatMap { $0 }, perBox: c)
        var out: [[DetectionMetrics.Detection]] = []
        var row = 0
        for p in proposals {
            var boxes: [Float] = [], scores: [Float] = [], classes: [Int] = []
            for r in row..<(row + p.count / 4) {
                for label in 1..<c {
                    let score = probabilities[r * c + label]
                    guard score > settings.scoreThreshold else { continue }
                    var b = Array(decoded[((r * c + label) * 4)..<((r * c + label) * 4 + 4)])
                    DetectionGeometry.clip(&b, height: imageSize.height, width: imageSize.width)
                    guard b[2] - b[0] >= settings.minSize, b[3] - b[1] >= settings.minSize else { continue }
                    boxes += b; scores.append(score); classes.append(label)
                }
            }
            row += p.count / 4
            let keep = try BoxOps.batchedNonMaxSuppression(boxes: DetectionGeometry.tensor(boxes), scores: scores, classes: classes,
                                                           iouThreshold: settings.nmsThreshold).prefix(settings.detectionsPerImage)
            out.append(keep.map { i in
                DetectionMetrics.Detection(box: BoundingBox(x1: boxes[i * 4], y1: boxes[i * 4 + 1], x2: boxes[i * 4 + 2], y2: boxes[i * 4 + 3],
                                                            label: classes[i]), score: scores[i])
            })
        }
        return out
    }

    static func boxes(_ flat: [Float]) -> [BoundingBox] {
        stride(from: 0, to: flat.count, by: 4).map { BoundingBox(x1: flat[$0], y1: flat[$0 + 1], x2: flat[$0 + 2], y2: flat[$0 + 3]) }
    }
}
