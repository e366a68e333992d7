import Foundation
import Testing
@testable import Framework

@Suite("Detection metrics: VOC and COCO AP, completeness and purity")
struct DetectionMetricsTests {
    typealias Detection = DetectionMetrics.Detection

    static func box(_ x1: Float, _ y1: Float, _ x2: Float, _ y2: Float, _ label: Int = 1) -> BoundingBox {
        BoundingBox(x1: x1, y1: y1, x2: x2, y2: y2, label: label)
    }

    /// Two truths; by score: a hit, a miss, a hit (all exact, so every IoU threshold agrees).
    static let truths = [box(0, 0, 10, 10), box(20, 20, 30, 30)]
    static let hitMissHit = [Detection(box: box(0, 0, 10, 10), score: 0.9), Detection(box: box(50, 50, 60, 60), score: 0.8),
                             Detection(box: box(20, 20, 30, 30), score: 0.7)]

    @Test func hitMissHitByHand() throws {
        let m = try DetectionMetrics(detections: [Self.hitMissHit], groundTruth: [Self.truths], scoreThreshold: 0.85)
        // Precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1: envelope 1 up to recall 1/2, then 2/3.
        #expect(abs(m.vocAP50 - (0.5 + 0.5 * 2 / 3)) < 1e-12)
        // 101 points: recall 0…0.50 (51 points) read 1, 0.51…1 (50 points) read 2/3.
        #expect(abs(m.cocoAP - (51 + 50 * 2.0 / 3) / 101) < 1e-12)
        #expect(abs(m.cocoAP50 - m.cocoAP) < 1e-12)
        #expect(m.completeness == 0.5 && m.purity == 1)
        let two = try DetectionMetrics(detections: [Self.hitMissHit], groundTruth: [Self.truths], scoreThreshold: 0.75)
        #expect(two.completeness == 0.5 && two.purity == 0.5)
        let all = try DetectionMetrics(detections: [Self.hitMissHit], groundTruth: [Self.truths], scoreThreshold: 0.5)
        #expect(all.completeness == 1 && all.purity == 2.0 / 3)
        #expect(try DetectionMetrics(detections: [Self.hitMissHit], groundTruth: [Self.truths], scoreThreshold: 0.95).purity == nil)
    }

    @Test func iouExactlyAtTheThresholdMatches() throws {
        // IoU 50/100 = 0.5: a match at 0.50 only, so COCO AP is 1 at one of ten thresholds.
        let m = try DetectionMetrics(detections: [[Detection(box: Self.box(0, 0, 10, 5), score: 1)]],
                                     groundTruth: [[Self.box(0, 0, 10, 10)]])
        // (COCO divides by tp + fp + ε, so its precision 1 is 1 − 2⁻⁵².)
        #expect(m.vocAP50 == 1 && abs(m.cocoAP50 - 1) < 1e-12 && abs(m.cocoAP - 0.1) < 1e-12)
    }

    @Test func greedyMatchingTakesTheBestUnmatchedTruth() throws {
        // The first detection is the right truth exactly and overlaps the left (IoU 60/140):
        // it takes the right one, leaving the left for the second detection.
        let truths = [Self.box(0, 0, 10, 10), Self.box(4, 0, 14, 10)]
        let dets = [Detection(box: Self.box(4, 0, 14, 10), score: 0.9), Detection(box: Self.box(0, 0, 10, 10), score: 0.8)]
        let iou = BoxOps.iou(dets.map(\.box), truths)
        #expect(DetectionMetrics.match(iou, gtCount: 2, threshold: 0.5) == [true, true])
        // Per class: a detection of class 2 never takes a class-1 truth, and class 2 has no
        // truth, so it is left out of the mean.
        let m = try DetectionMetrics(detections: [dets + [Detection(box: truths[0].with(label: 2), score: 1)]],
                                     groundTruth: [truths])
        #expect(m.classes == [1] && m.vocAP50 == 1)
        // A class with truths but no detections scores 0.
        let missed = try DetectionMetrics(detections: [[]], groundTruth: [[Self.box(0, 0, 1, 1, 3)]])
        #expect(missed.cocoAP == 0 && missed.vocAP50 == 0)
    }

    @Test func matchesPycocotools() throws {
        let r = try MetricReference.load().detection
        let gt = r.groundTruth.map { $0.map { Self.box($0.box[0], $0.box[1], $0.box[2], $0.box[3], $0.label) } }
        let dt = r.detections.map { $0.map { Detection(box: Self.box($0.box[0], $0.box[1], $0.box[2], $0.box[3], $0.label), score: $0.score) } }
        let m = try DetectionMetrics(detections: dt, groundTruth: gt, scoreThreshold: r.scoreThreshold)
        #expect(abs(m.cocoAP - r.cocoAP) < 1e-12)
        #expect(abs(m.cocoAP50 - r.cocoAP50) < 1e-12)
        #expect(abs(m.vocAP50 - r.vocAP50) < 1e-12)
        for k in 0..<2 {
            #expect(abs(m.cocoAPPerClass[k] - r.cocoAPPerClass[k]) < 1e-12)
            #expect(abs(m.vocAP50PerClass[k] - r.vocAP50PerClass[k]) < 1e-12)
        }
        #expect(abs(m.completeness - r.completeness) < 1e-12 && abs(m.purity! - r.purity) < 1e-12)
    }

    /// AP by box size against pycocotools' `areaRng` on the same fixture
    /// (scripts/detection_area_fixture.py): each range, and the whole range equal to COCO AP.
    @Test func apByAreaMatchesPycocotools() throws {
        struct Reference: Decodable {
            struct Entry: Decodable { let name: String; let min: Double; let max: Double; let ap: Double?; let truths: Int }
            let ranges: [Entry]
            let all: Entry
        }
        let area = try JSONDecoder().decode(Reference.self, from: Data(Fixtures.bytes("metrics/detection_area.json")))
        let r = try MetricReference.load().detection
        let gt = r.groundTruth.map { $0.map { Self.box($0.box[0], $0.box[1], $0.box[2], $0.box[3], $0.label) } }
        let dt = r.detections.map { $0.map { Detection(box: Self.box($0.box[0], $0.box[1], $0.box[2], $0.box[3], $0.label), score: $0.score) } }
        let ranges = (area.ranges + [area.all]).map { DetectionMetrics.AreaRange(name: $0.name, min: $0.min, max: $0.max) }
        let ours = DetectionMetrics.cocoAP(byArea: ranges, detections: dt, groundTruth: gt)
        for (mine, theirs) in zip(ours, area.ranges + [area.all]) {
            #expect(mine.truths == theirs.truths, "\(theirs.name)")
            #expect(abs((mine.ap ?? -1) - (theirs.ap ?? -1)) < 1e-12, "\(theirs.name): \(String(describing: mine.ap)) vs \(String(describing: theirs.ap))")
        }
        #expect(abs(ours.last!.ap! - r.cocoAP) < 1e-12, "the whole range is COCO AP")
        // A range holding no true box has no AP (COCOeval's −1), and terciles split the truths.
        #expect(DetectionMetrics.cocoAP(byArea: [.init(name: "huge", min: 1e6, max: 1e9)], detections: dt, groundTruth: gt)[0].ap == nil)
        let thirds = DetectionMetrics.cocoAP(byArea: DetectionMetrics.AreaRange.terciles(of: Array(gt.joined())), detections: dt, groundTruth: gt)
        #expect(thirds.map(\.truths).reduce(0, +) == gt.joined().count && thirds.allSatisfy { $0.truths >= 3 })
        // Pixel-aligned boxes share areas; no box may land on a bound and count twice.
        let sides: [Float] = [4, 4, 4, 5, 5, 5, 6, 6, 6]
        let tied: [BoundingBox] = sides.map { (side: Float) -> BoundingBox in Self.box(0, 0, side, side) }
        let split = DetectionMetrics.cocoAP(byArea: DetectionMetrics.AreaRange.terciles(of: tied), detections: [[]], groundTruth: [tied])
        #expect(split.map { (a: DetectionMetrics.AreaAP) -> Int in a.truths } == [3, 3, 3])
    }

    @Test func badInputsAreNamed() {
        #expect(thrownMessage { _ = try DetectionMetrics(detections: [[]], groundTruth: []) }
            == "detection metrics: detections for 1 images but ground truth for 0")
        #expect(thrownMessage { _ = try DetectionMetrics(detections: [[]], groundTruth: [[]]) }
            == "detection metrics: no ground-truth boxes in 1 images")
        #expect(thrownMessage {
            _ = try DetectionMetrics(detections: [[Detection(box: Self.box(0, 0, 1, 1), score: .nan)]], groundTruth: [Self.truths])
        } == "detection metrics: non-finite box or score in detection 0 of image 0")
    }
}

private extension BoundingBox {
    func with(label: Int) -> BoundingBox { BoundingBox(x1: x1, y1: y1, x2: x2, y2: y2, label: label) }
}
