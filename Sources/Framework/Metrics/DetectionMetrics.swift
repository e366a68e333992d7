/// Average precision of box detections, as the field reports it: VOC all-point AP at IoU 0.5
/// and COCO's 101-point AP averaged over IoU 0.50:0.05:0.95, plus completeness (recall) and
/// purity (precision) of the detections scoring at least a threshold.
///
/// Matching follows pycocotools, per image and class: detections in descending score take,
/// each in turn, the unmatched ground-truth box of highest IoU, if that IoU is ≥ the
/// threshold; each ground truth matches at most once. VOC AP uses the same matching. Classes
/// without ground truth are left out of the means (as COCOeval); a class with ground truth
/// but no detections scores 0.
public struct DetectionMetrics: Codable, Sendable, Equatable {
    /// A predicted box (its class in `box.label`) with its confidence.
    public struct Detection: Codable, Sendable, Equatable {
        public var box: BoundingBox
        public var score: Float

        public init(box: BoundingBox, score: Float) {
            self.box = box
            self.score = score
        }
    }

    /// The classes with ground truth, ascending; the per-class arrays follow this order.
    public var classes: [Int]
    public var vocAP50: Double
    public var vocAP50PerClass: [Double]
    /// AP@[.50:.95] (COCO's headline "AP").
    public var cocoAP: Double
    public var cocoAPPerClass: [Double]
    /// COCO's 101-point AP at IoU 0.5 alone.
    public var cocoAP50: Double
    public var scoreThreshold: Float
    /// Matched ground truths (IoU ≥ 0.5, detections scoring ≥ `scoreThreshold`) over all.
    public var completeness: Double
    /// Matched detections scoring ≥ `scoreThreshold` over all such; nil when there are none.
    public var purity: Double?

    /// COCO's IoU thresholds, computed as `numpy.linspace(.5, .95, 10)` does so the ≥ tests agree.
    static let iouThresholds = linspace(0.5, 0.95, count: 10)
    /// COCO's recall points, `numpy.linspace(0, 1, 101)`.
    static let recallPoints = linspace(0, 1, count: 101)

    /// i·((stop − start)/(count − 1)) + start, the last point exactly `stop`, as numpy.
    private static func linspace(_ start: Double, _ stop: Double, count: Int) -> [Double] {
        let step: Double = (stop - start) / Double(count - 1)
        var points: [Double] = (0..<count).map { (i: Int) -> Double in Double(i) * step + start }
        points[count - 1] = stop
        return points
    }

    /// - Parameters:
    ///   - detections: per image, its detections.
    ///   - groundTruth: per image, its true boxes (the same number of images).
    ///   - maxDetections: the highest-scoring detections per image and class that COCO AP counts.
    public init(detections: [[Detection]], groundTruth: [[BoundingBox]], scoreThreshold: Float = 0.5,
                maxDetections: Int = 100) throws {
        let op = "detection metrics"
        guard detections.count == groundTruth.count else {
            throw TensorError.invalidArgument(op: op, message: "detections for \(detections.count) images but ground truth for \(groundTruth.count)")
        }
        guard maxDetections >= 1, scoreThreshold.isFinite else {
            throw TensorError.invalidArgument(op: op, message: "max detections \(maxDetections) must be ≥ 1 and the score threshold finite")
        }
        for (i, image) in detections.enumerated() {
            for (j, d) in image.enumerated() where !Self.isFinite(d.box) || !d.score.isFinite {
                throw TensorError.invalidArgument(op: op, message: "non-finite box or score in detection \(j) of image \(i)")
            }
        }
        for (i, image) in groundTruth.enumerated() {
            for (j, g) in image.enumerated() where !Self.isFinite(g) {
                throw TensorError.invalidArgument(op: op, message: "non-finite ground-truth box \(j) of image \(i)")
            }
        }
        let classes = Set(groundTruth.joined().map(\.label)).sorted()
        guard !classes.isEmpty else {
            throw TensorError.invalidArgument(op: op, message: "no ground-truth boxes in \(groundTruth.count) images")
        }
        self.classes = classes
        self.scoreThreshold = scoreThreshold

        var voc: [Double] = [], coco: [Double] = [], coco50: [Double] = []
        var matchedAbove = 0, detectionsAbove = 0
        for label in classes {
            var ranked: [Ranked] = []
            var positives = 0
            for (image, (dets, truths)) in zip(detections, groundTruth).enumerated() {
                let gt = truths.filter { $0.label == label }
                positives += gt.count
                // Descending score; equal scores keep input order (COCOeval's mergesort).
                let dt = dets.filter { $0.box.label == label }.enumerated()
                    .sorted { $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset }
                    .map(\.element)
                let iou = BoxOps.iou(dt.map(\.box), gt)
                let matches = Self.iouThresholds.map { Self.match(iou, gtCount: gt.count, threshold: $0) }
                for (rank, d) in dt.enumerated() {
                    ranked.append(Ranked(score: d.score, image: image, rank: rank, matched: matches.map { $0[rank] }))
                    if d.score >= scoreThreshold {
                        detectionsAbove += 1
                        if matches[0][rank] { matchedAbove += 1 }
                    }
                }
            }
            ranked.sort { ($0.score, -$0.image, -$0.rank) > ($1.score, -$1.image, -$1.rank) }
            let p = Double(positives)
            voc.append(Self.allPointAP(ranked.map { $0.matched[0] }, positives: p))
            let counted = ranked.filter { $0.rank < maxDetections }
            let perIoU = Self.iouThresholds.indices.map { t in Self.cocoAP(counted.map { $0.matched[t] }, positives: p) }
            coco.append(perIoU.reduce(0, +) / Double(perIoU.count))
            coco50.append(perIoU[0])
        }
        let mean = { (v: [Double]) in v.reduce(0, +) / Double(v.count) }
        vocAP50PerClass = voc
        vocAP50 = mean(voc)
        cocoAPPerClass = coco
        cocoAP = mean(coco)
        cocoAP50 = mean(coco50)
        completeness = Double(matchedAbove) / Double(groundTruth.joined().count)
        purity = detectionsAbove == 0 ? nil : Double(matchedAbove) / Double(detectionsAbove)
    }

    /// One detection in a class's score-sorted list: whether it matched at each IoU threshold.
    private struct Ranked {
        var score: Float
        var image: Int
        var rank: Int
        var matched: [Bool]
    }

    private static func isFinite(_ b: BoundingBox) -> Bool {
        b.x1.isFinite && b.y1.isFinite && b.x2.isFinite && b.y2.isFinite
    }

    /// Greedy matching of score-sorted detections (rows of `iou`) to ground truths, as
    /// COCOeval.evaluateImg: the best unmatched IoU ≥ threshold wins, a later equal IoU too.
    static func match(_ iou: [[Float]], gtCount: Int, threshold: Double) -> [Bool] {
        matchIndices(iou, ignored: [Bool](repeating: false, count: gtCount), threshold: threshold).map { $0 != nil }
    }

    /// The same matching with some truths ignored (listed after the others, as COCOeval
    /// sorts them): once a detection holds a truth that counts, it stops at the first ignored
    /// one. Returns each detection's truth index, or nil.
    static func matchIndices(_ iou: [[Float]], ignored: [Bool], threshold: Double) -> [Int?] {
        var taken = [Bool](repeating: false, count: ignored.count)
        return iou.map { row in
            var best = min(threshold, 1 - 1e-10), chosen = -1
            for g in ignored.indices where !taken[g] {
                if chosen >= 0 && !ignored[chosen] && ignored[g] { break }
                guard Double(row[g]) >= best else { continue }
                best = Double(row[g])
                chosen = g
            }
            if chosen >= 0 { taken[chosen] = true }
            return chosen >= 0 ? chosen : nil
        }
    }

    /// Cumulative precision and recall down a score-sorted list of match flags.
    private static func curve(_ matched: [Bool], positives: Double, eps: Double) -> (precision: [Double], recall: [Double]) {
        var tp = 0.0, fp = 0.0
        var precision: [Double] = [], recall: [Double] = []
        for m in matched {
            if m { tp += 1 } else { fp += 1 }
            precision.append(tp / (tp + fp + eps))
            recall.append(tp / positives)
        }
        return (precision, recall)
    }

    /// VOC (2010 onwards) all-point AP: the area under the precision envelope.
    static func allPointAP(_ matched: [Bool], positives: Double) -> Double {
        let (precision, recall) = curve(matched, positives: positives, eps: 0)
        let r = [0] + recall + [1]
        var p = [0] + precision + [0]
        for i in stride(from: p.count - 2, through: 0, by: -1) { p[i] = max(p[i], p[i + 1]) }
        var ap = 0.0
        for i in 0..<(r.count - 1) where r[i + 1] != r[i] { ap += (r[i + 1] - r[i]) * p[i + 1] }
        return ap
    }

    /// COCO's AP: the precision envelope read at 101 recall points (0 past the last recall).
    static func cocoAP(_ matched: [Bool], positives: Double) -> Double {
        var (precision, recall) = curve(matched, positives: positives, eps: Double.ulpOfOne)
        for i in stride(from: precision.count - 1, to: 0, by: -1) where precision[i] > precision[i - 1] {
            precision[i - 1] = precision[i]
        }
        var sum = 0.0, k = 0
        for r in recallPoints {
            // The first recall ≥ r (numpy.searchsorted, side "left").
            while k < recall.count && recall[k] < r { k += 1 }
            if k == recall.count { break }
            sum += precision[k]
        }
        return sum / Double(recallPoints.count)
    }
}
