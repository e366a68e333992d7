import TestSupport
import Foundation
import Testing
@testable import Framework

@Suite("RoIAlign, IoU and non-maximum suppression")
struct DetectionOpsTests {
    // MARK: RoIAlign

    /// Boxes in image coordinates for a 5 × 6 feature map at scale 0.5: two inside, one
    /// hanging off the left and bottom edges, one off the right edge, and one thinner than a
    /// cell. No sample lands on the −1 / H / W cut-offs, where the op is discontinuous.
    static let boxes: [[Float]] = [
        [0, 1.4, 1.8, 7.8, 6.6], [1, 2.6, 1.2, 9.6, 8.2], [0, -3.2, 4.4, 5.4, 13.0],
        [1, 6.2, -0.8, 15.8, 4.6], [0, 4.1, 3.3, 4.5, 3.5],
    ]

    @Test("roiAlign feature gradient", arguments: [(2, false), (-1, false), (2, true), (-1, true)], [(2, 3), (3, 1)])
    func roiAlignGradient(_ mode: (Int, Bool), _ size: (Int, Int)) throws {
        let (ratio, aligned) = mode
        let boxTensor = try Tensor(shape: [Self.boxes.count, 5], storage: Self.boxes.flatMap { $0 })
        try checkGradients("roiAlign ratio \(ratio) aligned \(aligned) size \(size)", inputs: [GradInput([2, 3, 5, 6])],
                           op: { t in
                               try t[0].roiAlign(boxes: boxTensor, outputSize: size, spatialScale: 0.5,
                                                 samplingRatio: ratio, aligned: aligned)
                           },
                           reference: { r in
                               refRoIAlign(r[0], boxes: Self.boxes.map { $0.map(Double.init) }, size: size, scale: 0.5,
                                           ratio: ratio, aligned: aligned)
                           })
    }

    /// On a ramp f(y, x) = x + 10y bilinear sampling is exact, so each bin's average is the
    /// ramp at the bin centre: this pins the coordinate conventions independently of the
    /// reference above.
    @Test func roiAlignOnARampSamplesBinCentres() throws {
        var ramp: [Float] = []
        for n in 0..<2 { for y in 0..<6 { for x in 0..<6 { ramp.append(Float(x + 10 * y + 100 * n)) } } }
        let f = try Tensor(shape: [2, 1, 6, 6], storage: ramp)
        func pool(_ box: [Float], _ size: (Int, Int), ratio: Int = -1, aligned: Bool = false, scale: Float = 1) throws -> [Float] {
            try f.roiAlign(boxes: Tensor(shape: [1, 5], storage: box), outputSize: size, spatialScale: scale,
                           samplingRatio: ratio, aligned: aligned).storage
        }
        let centres: [Double] = [1.5 + 15, 2.5 + 15, 1.5 + 25, 2.5 + 25]
        expectClose(try pool([0, 1, 1, 3, 3], (2, 2), ratio: 2), centres, tolerance: 1e-6)
        expectClose(try pool([0, 1, 1, 3, 3], (2, 2)), centres, tolerance: 1e-6)
        expectClose(try pool([0, 2, 2, 6, 6], (2, 2), scale: 0.5), centres, tolerance: 1e-6)
        expectClose(try pool([0, 1, 1, 3, 3], (2, 2), aligned: true), centres.map { $0 - 5.5 }, tolerance: 1e-6)
        expectClose(try pool([1, 1, 1, 3, 3], (2, 2)), centres.map { $0 + 100 }, tolerance: 1e-6)
        // Rows are y: a 1 × 2 output splits x.
        expectClose(try pool([0, 1, 1, 3, 2], (1, 2)), [1.5 + 15, 2.5 + 15], tolerance: 1e-6)
        // Unaligned boxes thinner than a cell grow to one cell from their corner; aligned ones do not.
        expectClose(try pool([0, 2.2, 2.2, 2.4, 2.4], (1, 1)), [2.7 + 27], tolerance: 1e-5)
        expectClose(try pool([0, 2.2, 2.2, 2.4, 2.4], (1, 1), aligned: true), [1.8 + 18], tolerance: 1e-5)
        // Samples within one cell outside the map clamp to the border; farther ones are 0.
        expectClose(try pool([0, -1, 2, 0, 3], (1, 1), ratio: 1), [0 + 25], tolerance: 1e-6)
        expectClose(try pool([0, 5.2, 5.4, 6.4, 6.0], (1, 1), ratio: 1), [5 + 50], tolerance: 1e-6)
        expectClose(try pool([0, -3, 0, -1.5, 1], (1, 1), ratio: 1), [0], tolerance: 0)
        expectClose(try pool([0, 20, 20, 30, 30], (2, 2)), [0, 0, 0, 0], tolerance: 0)
        // The far sample still counts in the average: (0 + 25) / 2 over a 1 × 2 grid.
        expectClose(try pool([0, -2, 2, 0, 3], (1, 1)), [(0 + 25) / 2], tolerance: 1e-6)
    }

    @Test func roiAlignErrorsNameTheBoxAndShapes() throws {
        let f = try Tensor.zeros([2, 3, 4, 4])
        func message(_ boxes: Tensor, features: Tensor? = nil, size: (Int, Int) = (2, 2)) -> String {
            do { _ = try (features ?? f).roiAlign(boxes: boxes, outputSize: size, spatialScale: 1); return "" } catch { return "\(error)" }
        }
        let four = message(try .zeros([3, 4]))
        #expect(four.contains("[3, 4]") && four.contains("[2, 3, 4, 4]") && four.contains("[K, 5]"))
        let batch = message(try Tensor(shape: [2, 5], storage: [0, 0, 0, 1, 1, 2, 0, 0, 1, 1]))
        #expect(batch.contains("box 1") && batch.contains("batch index 2.0"))
        let nan = message(try Tensor(shape: [1, 5], storage: [0, 0, .nan, 1, 1]))
        #expect(nan.contains("box 0") && nan.contains("not finite"))
        let rank = message(try .zeros([1, 5]), features: try .zeros([3, 4, 4]))
        #expect(rank.contains("[N, C, H, W]") && rank.contains("[3, 4, 4]"))
        let size = message(try .zeros([1, 5]), size: (0, 2))
        #expect(size.contains("output size"))
        let huge = message(try Tensor(shape: [1, 5], storage: [0, 0, 0, 1e7, 1e7]))
        #expect(huge.contains("box 0") && huge.contains("samples"))
    }

    // MARK: IoU and NMS

    static func box(_ x1: Float, _ y1: Float, _ x2: Float, _ y2: Float) -> BoundingBox {
        BoundingBox(x1: x1, y1: y1, x2: x2, y2: y2)
    }

    @Test func pairwiseIoU() throws {
        let a = [Self.box(0, 0, 10, 10), Self.box(1, 1, 11, 11)]
        let b = [Self.box(0, 0, 10, 5), Self.box(20, 20, 30, 30), Self.box(0, 0, 10, 10), Self.box(3, 3, 3, 8)]
        let m = BoxOps.iou(a, b)
        #expect(m.count == 2 && m.allSatisfy { $0.count == 4 })
        expectClose(m[0], [0.5, 0, 1, 0], tolerance: 1e-7)
        expectClose(m[1], [36.0 / 114, 0, 81.0 / 119, 0], tolerance: 1e-6)
        let t = try BoxOps.iou(try Tensor(shape: [2, 4], storage: [0, 0, 10, 10, 1, 1, 11, 11]),
                               try Tensor(shape: [4, 4], storage: b.flatMap { [$0.x1, $0.y1, $0.x2, $0.y2] }))
        #expect(t == m)
    }

    @Test func nonMaxSuppressionKeepsTheBestOfEachCluster() throws {
        // 0 and 1 overlap with IoU 81/119 ≈ 0.68; 2 is disjoint and scores highest.
        let boxes = [Self.box(0, 0, 10, 10), Self.box(1, 1, 11, 11), Self.box(20, 20, 30, 30)]
        let scores: [Float] = [0.9, 0.8, 0.95]
        #expect(try BoxOps.nonMaxSuppression(boxes: boxes, scores: scores, iouThreshold: 0.5) == [2, 0])
        #expect(try BoxOps.nonMaxSuppression(boxes: boxes, scores: scores, iouThreshold: 0.7) == [2, 0, 1])
        let t = try Tensor(shape: [3, 4], storage: boxes.flatMap { [$0.x1, $0.y1, $0.x2, $0.y2] })
        #expect(try BoxOps.nonMaxSuppression(boxes: t, scores: scores, iouThreshold: 0.5) == [2, 0])
        #expect(try BoxOps.nonMaxSuppression(boxes: [], scores: [], iouThreshold: 0.5) == [])
    }

    @Test func suppressionNeedsIoUAboveTheThreshold() throws {
        // IoU exactly 0.5: kept at threshold 0.5, dropped just below it.
        let boxes = [Self.box(0, 0, 10, 10), Self.box(0, 0, 10, 5)]
        #expect(try BoxOps.nonMaxSuppression(boxes: boxes, scores: [0.9, 0.8], iouThreshold: 0.5) == [0, 1])
        #expect(try BoxOps.nonMaxSuppression(boxes: boxes, scores: [0.9, 0.8], iouThreshold: 0.49) == [0])
    }

    @Test func suppressedBoxesSuppressNothing() throws {
        // 0 suppresses 1; 1 would have suppressed 2, but 2 only overlaps 0 by IoU 0.
        let boxes = [Self.box(0, 0, 10, 10), Self.box(5, 0, 15, 10), Self.box(10, 0, 20, 10)]
        #expect(try BoxOps.nonMaxSuppression(boxes: boxes, scores: [0.9, 0.8, 0.7], iouThreshold: 0.3) == [0, 2])
    }

    @Test func equalScoresKeepInputOrder() throws {
        let boxes = [Self.box(0, 0, 10, 10), Self.box(0, 0, 10, 9), Self.box(50, 50, 60, 60), Self.box(50, 50, 60, 61)]
        #expect(try BoxOps.nonMaxSuppression(boxes: boxes, scores: [0.5, 0.5, 0.5, 0.5], iouThreshold: 0.5) == [0, 2])
        #expect(try BoxOps.nonMaxSuppression(boxes: boxes.reversed(), scores: [0.5, 0.5, 0.5, 0.5], iouThreshold: 0.5) == [0, 2])
    }

    @Test func batchedSuppressionIsPerClass() throws {
        // Two identical boxes of different classes both survive; a same-class duplicate does not.
        let boxes = [Self.box(0, 0, 10, 10), Self.box(0, 0, 10, 10), Self.box(1, 0, 10, 10), Self.box(30, 30, 40, 40)]
        let scores: [Float] = [0.6, 0.9, 0.8, 0.7]
        let classes = [1, 2, 2, 1]
        #expect(try BoxOps.batchedNonMaxSuppression(boxes: boxes, scores: scores, classes: classes, iouThreshold: 0.5) == [1, 3, 0])
        #expect(try BoxOps.nonMaxSuppression(boxes: boxes, scores: scores, iouThreshold: 0.5) == [1, 3])
        let t = try Tensor(shape: [4, 4], storage: boxes.flatMap { [$0.x1, $0.y1, $0.x2, $0.y2] })
        #expect(try BoxOps.batchedNonMaxSuppression(boxes: t, scores: scores, classes: classes, iouThreshold: 0.5) == [1, 3, 0])
    }

    @Test func suppressionErrors() throws {
        let boxes = [Self.box(0, 0, 1, 1), Self.box(0, 0, 2, 2)]
        #expect(throws: TensorError.invalidArgument(op: "nonMaxSuppression", message: "2 boxes but 1 scores")) {
            try BoxOps.nonMaxSuppression(boxes: boxes, scores: [1], iouThreshold: 0.5)
        }
        #expect(throws: TensorError.invalidArgument(op: "batchedNonMaxSuppression", message: "2 boxes but 3 classes")) {
            try BoxOps.batchedNonMaxSuppression(boxes: boxes, scores: [1, 2], classes: [1, 1, 1], iouThreshold: 0.5)
        }
        #expect(throws: TensorError.invalidArgument(op: "nonMaxSuppression", message: "score 1 is NaN")) {
            try BoxOps.nonMaxSuppression(boxes: boxes, scores: [1, .nan], iouThreshold: 0.5)
        }
        #expect(throws: TensorError.invalidArgument(op: "nonMaxSuppression", message: "boxes must be [K, 4] (x1, y1, x2, y2), got [2, 5]")) {
            try BoxOps.nonMaxSuppression(boxes: try Tensor.zeros([2, 5]), scores: [1, 2], iouThreshold: 0.5)
        }
    }
}

/// Naive RoIAlign: per output cell, the mean of gridH × gridW bilinear samples, each read
/// with the position clamped into the map and 0 for positions more than a cell outside.
func refRoIAlign(_ f: Ref, boxes: [[Double]], size: (Int, Int), scale: Double, ratio: Int, aligned: Bool) -> Ref {
    let (c, h, w) = (f.shape[1], f.shape[2], f.shape[3])
    let (oh, ow) = size
    var out = Ref.zeros([boxes.count, c, oh, ow])
    func sample(_ n: Int, _ ch: Int, _ y: Double, _ x: Double) -> Double {
        if y < -1 || y > Double(h) || x < -1 || x > Double(w) { return 0 }
        let yy = min(max(y, 0), Double(h - 1)), xx = min(max(x, 0), Double(w - 1))
        let y0 = Int(yy.rounded(.down)), x0 = Int(xx.rounded(.down))
        let y1 = min(y0 + 1, h - 1), x1 = min(x0 + 1, w - 1)
        let ly = yy - Double(y0), lx = xx - Double(x0)
        return (1 - ly) * (1 - lx) * f[[n, ch, y0, x0]] + (1 - ly) * lx * f[[n, ch, y0, x1]]
            + ly * (1 - lx) * f[[n, ch, y1, x0]] + ly * lx * f[[n, ch, y1, x1]]
    }
    for (k, b) in boxes.enumerated() {
        let shift = aligned ? 0.5 : 0
        let x1 = b[1] * scale - shift, y1 = b[2] * scale - shift
        var bw = b[3] * scale - shift - x1, bh = b[4] * scale - shift - y1
        if !aligned { bw = max(bw, 1); bh = max(bh, 1) }
        let gh = ratio > 0 ? ratio : max(0, Int((bh / Double(oh)).rounded(.up)))
        let gw = ratio > 0 ? ratio : max(0, Int((bw / Double(ow)).rounded(.up)))
        let cellH = bh / Double(oh), cellW = bw / Double(ow)
        for ch in 0..<c { for ph in 0..<oh { for pw in 0..<ow {
            var s = 0.0
            for iy in 0..<gh { for ix in 0..<gw {
                let y = y1 + (Double(ph) + (Double(iy) + 0.5) / Double(gh)) * cellH
                let x = x1 + (Double(pw) + (Double(ix) + 0.5) / Double(gw)) * cellW
                s += sample(Int(b[0]), ch, y, x)
            } }
            out[[k, ch, ph, pw]] = s / Double(max(gh * gw, 1))
        } } }
    }
    return out
}
