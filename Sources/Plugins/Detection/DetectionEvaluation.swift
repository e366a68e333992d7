import Foundation
import Framework

/// A detector's pass over a loader: every galaxy's detections and true boxes (in image
/// pixels) and the mean of each loss part.
public struct DetectionEvaluation {
    public var ids: [String] = []
    public var detections: [[DetectionMetrics.Detection]] = []
    public var truth: [[BoundingBox]] = []
    /// Batch means of each loss part, averaged over batches, and their sum as `loss`.
    public var losses: [String: Double] = [:]

    public init() {}

    /// Runs `model` in evaluation mode, without gradients, over every batch of `loader`.
    public static func run(_ model: FasterRCNN, loader: DataLoader) throws -> DetectionEvaluation {
        let wasTraining = model.training
        model.eval()
        defer { if wasTraining { model.train() } }
        var out = DetectionEvaluation()
        var sums: [String: Double] = [:], batches = 0
        try GradMode.withoutGrad {
            let epoch = loader.epoch(0)
            while let batch = try epoch.next() {
                let f = try model.features(batch.images)
                let (parts, proposals) = try model.losses(batch, features: f)
                for (k, v) in parts { sums[k, default: 0] += Double(try v.item()) }
                batches += 1
                out.ids += batch.ids
                out.truth += batch.boxes
                out.detections += try model.detections(f, proposals: proposals)
            }
        }
        out.losses = sums.mapValues { $0 / Double(max(1, batches)) }
        out.losses["loss"] = out.losses.values.reduce(0, +)
        return out
    }

    /// The losses plus `ap50` (VOC all-point), `coco_ap` (AP@[.50:.95]), and `completeness`
    /// and `purity` of detections scoring ≥ `scoreThreshold`. AP metrics are NaN when no galaxy
    /// has a true box.
    public func metrics(scoreThreshold: Float) throws -> [String: Double] {
        var m = losses
        guard truth.contains(where: { !$0.isEmpty }) else {
            for k in ["ap50", "coco_ap", "completeness", "purity"] { m[k] = .nan }
            return m
        }
        let d = try DetectionMetrics(detections: detections, groundTruth: truth, scoreThreshold: scoreThreshold)
        m["ap50"] = d.vocAP50
        m["coco_ap"] = d.cocoAP
        m["completeness"] = d.completeness
        m["purity"] = d.purity ?? .nan
        return m
    }
}
