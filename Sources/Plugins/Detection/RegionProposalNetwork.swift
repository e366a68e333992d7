import Foundation
import Framework

/// The region proposal network: anchors, the `RPNHead`, proposal filtering and, in
/// training, its two losses, with torchvision's `RegionProposalNetwork` semantics.
///
/// Proposals are the decoded deltas (box coder weights 1, 1, 1, 1) of each level's
/// `preNMSTopN` highest-objectness anchors, clipped to the image, without boxes smaller than
/// `minSize`, then suppressed per level at `nmsThreshold`; the best `postNMSTopN` remain.
/// Anchors are matched to ground truth at IoU 0.7 / 0.3 with low-quality matches, and
/// `batchSizePerImage` of them are sampled per image for the losses.
public final class RegionProposalNetwork: Module {
    /// The network's settings (torchvision's keyword arguments).
    public struct Settings: Equatable, Sendable {
        public var preNMSTopNTrain = 2000, preNMSTopNTest = 1000
        public var postNMSTopNTrain = 2000, postNMSTopNTest = 1000
        public var nmsThreshold: Float = 0.7
        public var foregroundIoU: Float = 0.7
        public var backgroundIoU: Float = 0.3
        public var batchSizePerImage = 256
        public var positiveFraction: Float = 0.5
        public var minSize: Float = 1e-3
        public var scoreThreshold: Float = 0
        public init() {}
    }

    /// What the network hands the box head: proposals and their objectness per image, and
    /// its losses in training.
    public struct Output {
        /// Per image, proposals flat (x1, y1, x2, y2), by descending objectness.
        public var proposals: [[Float]]
        public var scores: [[Float]]
        public var objectnessLoss: Tensor?
        public var boxLoss: Tensor?
    }

    public let head: RPNHead
    public let anchorGenerator: AnchorGenerator
    public let settings: Settings
    let coder = BoxCoder.rpn

    public init(channels: Int, anchors: AnchorGenerator, settings: Settings, rng: inout RandomGenerator) throws {
        let a = anchors.anchorsPerLocation(level: 0)
        guard (0..<anchors.sizes.count).allSatisfy({ anchors.anchorsPerLocation(level: $0) == a }) else {
            throw ConfigError(file: "task", message: "every level needs the same number of anchor sizes (the RPN head is shared); got \(anchors.sizes)")
        }
        head = try RPNHead(channels: channels, anchorsPerLocation: a, rng: &rng)
        anchorGenerator = anchors
        self.settings = settings
        super.init()
    }

    /// Proposals for `features` of an `imageSize` batch; with `targets` (one list of boxes
    /// per image) also the losses, sampling anchors with `rng`.
    public func callAsFunction(_ features: [Tensor], imageSize: (height: Int, width: Int), targets: [[BoundingBox]]?,
                               rng: inout RandomGenerator) throws -> Output {
        let (objectness, deltas) = try head(features)
        let sizes = features.map { (height: $0.shape[2], width: $0.shape[3]) }
        let anchors = try anchorGenerator.anchors(imageSize: imageSize, featureSizes: sizes)
        let perLevel = sizes.enumerated().map { $0.element.height * $0.element.width * anchorGenerator.anchorsPerLocation(level: $0.offset) }
        let n = objectness.shape[0], total = objectness.shape[1]
        guard total * 4 == anchors.count else {
            throw TensorError.invalidArgument(op: "RegionProposalNetwork", message: "\(total) objectness logits per image but \(anchors.count / 4) anchors")
        }
        var out = Output(proposals: [], scores: [])
        for i in 0..<n {
            let (boxes, scores) = try filter(logits: Array(objectness.storage[(i * total)..<((i + 1) * total)]),
                                             deltas: Array(deltas.storage[(i * total * 4)..<((i + 1) * total * 4)]),
                                             anchors: anchors, perLevel: perLevel, imageSize: imageSize)
            out.proposals.append(boxes)
            out.scores.append(scores)
        }
        if let targets {
            let (obj, box) = try losses(objectness: objectness, deltas: deltas, anchors: anchors, targets: targets, rng: &rng)
            out.objectnessLoss = obj
            out.boxLoss = box
        }
        return out
    }

    /// One image's proposals: per-level top-k, decode, clip, drop small boxes and low scores,
    /// NMS within each level, keep the best `postNMSTopN`.
    func filter(logits: [Float], deltas: [Float], anchors: [Float], perLevel: [Int],
                imageSize: (height: Int, width: Int)) throws -> (boxes: [Float], scores: [Float]) {
        let preTop = training ? settings.preNMSTopNTrain : settings.preNMSTopNTest
        let postTop = training ? settings.postNMSTopNTrain : settings.postNMSTopNTest
        var chosen: [Int] = [], levels: [Int] = []
        var start = 0
        for (level, count) in perLevel.enumerated() {
            let top = DetectionGeometry.topIndices(logits, range: start..<(start + count), k: preTop)
            chosen += top
            levels += [Int](repeating: level, count: top.count)
            start += count
        }
        var d: [Float] = [], a: [Float] = []
        d.reserveCapacity(chosen.count * 4); a.reserveCapacity(chosen.count * 4)
        for j in chosen { d += deltas[(j * 4)..<(j * 4 + 4)]; a += anchors[(j * 4)..<(j * 4 + 4)] }
        var boxes = coder.decode(d, boxes: a)
        DetectionGeometry.clip(&boxes, height: imageSize.height, width: imageSize.width)
        var kept: [Int] = []
        for k in chosen.indices {
            let p = 1 / (1 + Foundation.exp(-logits[chosen[k]]))
            let w = boxes[k * 4 + 2] - boxes[k * 4], h = boxes[k * 4 + 3] - boxes[k * 4 + 1]
            if w >= settings.minSize, h >= settings.minSize, p >= settings.scoreThreshold { kept.append(k) }
        }
        let keptBoxes = DetectionGeometry.select(boxes, kept)
        let keptScores = kept.map { 1 / (1 + Foundation.exp(-logits[chosen[$0]])) }
        let keep = try BoxOps.batchedNonMaxSuppression(boxes: try DetectionGeometry.tensor(keptBoxes), scores: keptScores,
                                                       classes: kept.map { levels[$0] }, iouThreshold: settings.nmsThreshold)
            .prefix(postTop)
        return (DetectionGeometry.select(keptBoxes, Array(keep)), keep.map { keptScores[$0] })
    }

    /// The objectness loss (binary cross-entropy, mean over sampled anchors) and the box loss
    /// (smooth L1 with β = 1/9 summed over sampled positives, divided by all sampled).
    func losses(objectness: Tensor, deltas: Tensor, anchors: [Float], targets: [[BoundingBox]],
                rng: inout RandomGenerator) throws -> (Tensor, Tensor) {
        let total = anchors.count / 4
        let matcher = Matcher(highThreshold: settings.foregroundIoU, lowThreshold: settings.backgroundIoU, allowLowQualityMatches: true)
        let sampler = BalancedSampler(batchSize: settings.batchSizePerImage, positiveFraction: settings.positiveFraction)
        let anchorTensor = try DetectionGeometry.tensor(anchors)
        var positives: [Int] = [], negatives: [Int] = [], regression: [Float] = []
        for (i, gt) in targets.enumerated() {
            let matches = matcher(try BoxOps.iou(try DetectionGeometry.tensor(gt), anchorTensor), predictions: total)
            let labels = matches.map { $0 >= 0 ? 1 : ($0 == Matcher.background ? 0 : -1) }
            let (pos, neg) = sampler.sample(labels, using: &rng)
            let matched = pos.flatMap { p in DetectionGeometry.corners(gt[matches[p]]) }
            regression += coder.encode(matched, relativeTo: DetectionGeometry.select(anchors, pos))
            positives += pos.map { i * total + $0 }
            negatives += neg.map { i * total + $0 }
        }
        let sampled = positives + negatives
        guard !sampled.isEmpty else { return (Tensor.scalar(0), Tensor.scalar(0)) }
        let flat = try objectness.reshaped([objectness.count])
        let labels = try Tensor(shape: [sampled.count], storage: positives.map { _ in 1 } + negatives.map { _ in 0 })
        let objectnessLoss = try Loss.binaryCrossEntropyWithLogits(logits: flat.gather(axis: 0, indices: sampled), targets: labels).mean()
        let boxLoss = try DetectionGeometry.smoothL1Sum(deltas.reshaped([objectness.count, 4]), rows: positives,
                                                        targets: regression, dividedBy: sampled.count)
        return (objectnessLoss, boxLoss)
    }
}
