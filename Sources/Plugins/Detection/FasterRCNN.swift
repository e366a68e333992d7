import Foundation
import Framework

/// Faster R-CNN on any backbone: optional input standardisation and upsampling, the
/// backbone's feature maps at the chosen strides (through an optional feature pyramid), the
/// region proposal network and the box head. State-dict keys follow torchvision's
/// (`backbone.*`, `rpn.head.*`, `roi_heads.box_head.fc6.*`, …), with `input_norm.*` and
/// `fpn.*` where present.
public final class FasterRCNN: Module {
    public let inputNorm: InputNormalization?
    public let backbone: any Backbone
    public let fpn: FeaturePyramid?
    public let rpn: RegionProposalNetwork
    public let roiHeads: RoIHeads
    /// Indices of the backbone's feature maps the detector reads.
    public let levels: [Int]
    public let upsample: Int
    public let classes: Int
    /// Seeds the anchor and proposal sampling of each batch.
    public var samplingSeed: UInt64 = 0
    /// Score threshold of the validation completeness and purity.
    public var scoreThreshold: Float

    override public func children() -> [(key: String, module: Module)] {
        var c: [(String, Module)] = inputNorm.map { [("input_norm", $0 as Module)] } ?? []
        c.append(("backbone", backbone))
        if let fpn { c.append(("fpn", fpn)) }
        return c + [("rpn", rpn), ("roi_heads", roiHeads)]
    }

    /// Builds the detector on `backbone`, described by `context` (its feature strides and channels).
    public init(backbone: any Backbone, context: ComponentContext, options o: DetectionComponent.Options,
                inputNorm: InputNormalization?, rng: inout RandomGenerator) throws {
        let levels = try o.featureStrides.map { s -> Int in
            guard let i = context.featureStrides.firstIndex(of: s) else {
                throw ConfigError(file: "task", message: "feature_strides: \(type(of: backbone)) has no stride-\(s) feature map; its strides are \(context.featureStrides)")
            }
            return i
        }
        let channels = levels.map { context.featureChannels[$0] }
        guard o.fpn || Set(channels).count == 1 else {
            throw ConfigError(file: "task", message: "maps of different widths \(channels) need fpn: true")
        }
        let width = o.fpn ? o.fpnChannels : channels[0]
        self.inputNorm = inputNorm
        self.backbone = backbone
        self.levels = levels
        upsample = o.upsample
        classes = o.classes
        scoreThreshold = o.scoreThreshold
        fpn = o.fpn ? FeaturePyramid(inputs: channels, channels: o.fpnChannels, rng: &rng) : nil
        // Sizes are given in catalog pixels; the network sees the upsampled image.
        let anchors = try AnchorGenerator(sizes: o.anchorSizes.map { $0.map { $0 * Float(o.upsample) } }, aspectRatios: o.aspectRatios)
        var r = RegionProposalNetwork.Settings()
        r.preNMSTopNTrain = o.rpnPreNMSTopN[0]; r.preNMSTopNTest = o.rpnPreNMSTopN[1]
        r.postNMSTopNTrain = o.rpnPostNMSTopN[0]; r.postNMSTopNTest = o.rpnPostNMSTopN[1]
        r.nmsThreshold = o.rpnNMSThreshold
        r.batchSizePerImage = o.rpnBatchSizePerImage
        r.positiveFraction = o.rpnPositiveFraction
        rpn = try RegionProposalNetwork(channels: width, anchors: anchors, settings: r, rng: &rng)
        var h = RoIHeads.Settings()
        h.batchSizePerImage = o.roiBatchSizePerImage
        h.positiveFraction = o.roiPositiveFraction
        h.scoreThreshold = o.boxScoreThreshold
        h.nmsThreshold = o.boxNMSThreshold
        h.detectionsPerImage = o.detectionsPerImage
        let strides = o.featureStrides
        roiHeads = RoIHeads(channels: width, pooler: RoIPooler(strides: strides, outputSize: o.poolSize, samplingRatio: o.samplingRatio),
                            representation: o.representation, classes: o.classes, settings: h, rng: &rng)
        super.init()
    }

    /// The maps the RPN and box head read, for (standardised, upsampled) images, and the
    /// network-input size.
    func features(_ images: Tensor) throws -> (maps: [Tensor], size: (height: Int, width: Int)) {
        var x = try inputNorm.map { try $0(images) } ?? images
        if upsample > 1 { x = try x.upsampleBilinear(size: (x.shape[2] * upsample, x.shape[3] * upsample)) }
        let all = try backbone.features(x)
        let picked = levels.map { all[$0] }
        return (try fpn?(picked) ?? picked, (x.shape[2], x.shape[3]))
    }

    /// Boxes in network-input pixels, after checking their labels.
    func scaled(_ boxes: [[BoundingBox]], ids: [String]) throws -> [[BoundingBox]] {
        let f = Float(upsample)
        return try zip(boxes, ids).map { list, id in
            try list.map { b in
                guard (1...classes).contains(b.label) else {
                    throw ConfigError(file: "data", message: "example '\(id)': box label \(b.label) is outside 1…\(classes) (classes: \(classes); 0 is background)")
                }
                return BoundingBox(x1: b.x1 * f, y1: b.y1 * f, x2: b.x2 * f, y2: b.y2 * f, label: b.label)
            }
        }
    }

    /// The four losses of a batch (RPN objectness and boxes, box-head classification and
    /// boxes), sampling with a generator keyed by the batch's epoch and number.
    public func losses(_ batch: Batch) throws -> [String: Tensor] {
        try losses(batch, features: features(batch.images)).losses
    }

    func losses(_ batch: Batch, features f: (maps: [Tensor], size: (height: Int, width: Int))) throws
        -> (losses: [String: Tensor], proposals: [[Float]]) {
        var rng = RandomGenerator(seed: samplingSeed, stream: UInt64(batch.epoch) &* 1_000_003 &+ UInt64(batch.number))
        let targets = try scaled(batch.boxes, ids: batch.ids)
        let out = try rpn(f.maps, imageSize: f.size, targets: targets, rng: &rng)
        let sampled = roiHeads.sampleProposals(out.proposals, targets: targets, rng: &rng)
        let (logits, deltas) = try roiHeads.outputs(f.maps, boxes: sampled.boxes)
        let heads = try roiHeads.losses(logits: logits, deltas: deltas, labels: sampled.labels, regression: sampled.regression)
        return (["rpn_objectness": out.objectnessLoss!, "rpn_box_regression": out.boxLoss!,
                 "classification": heads.classification, "box_regression": heads.boxRegression], out.proposals)
    }

    /// Detections for each image, in the pixels of `images`.
    public func detect(_ images: Tensor) throws -> [[DetectionMetrics.Detection]] {
        let f = try features(images)
        var rng = RandomGenerator(seed: samplingSeed)
        return try detections(f, proposals: rpn(f.maps, imageSize: f.size, targets: nil, rng: &rng).proposals)
    }

    func detections(_ f: (maps: [Tensor], size: (height: Int, width: Int)), proposals: [[Float]]) throws -> [[DetectionMetrics.Detection]] {
        let (logits, deltas) = try roiHeads.outputs(f.maps, boxes: proposals)
        let found = try roiHeads.detections(logits: logits, deltas: deltas, proposals: proposals, imageSize: f.size)
        let s = 1 / Float(upsample)
        return found.map { image in
            image.map { d in
                var b = d.box
                b.x1 *= s; b.y1 *= s; b.x2 *= s; b.y2 *= s
                return DetectionMetrics.Detection(box: b, score: d.score)
            }
        }
    }
}
