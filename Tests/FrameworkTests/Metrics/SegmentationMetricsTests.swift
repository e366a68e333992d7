import Testing
@testable import Framework

@Suite("Segmentation metrics: IoU, Dice, soft Dice")
struct SegmentationMetricsTests {
    /// Example 0 of class 0: prediction [0.9, 0.6, 0.2, 0.1], truth [1, 0, 1, 0].
    /// Example 1 has no mask of class 0, and a prediction that would ruin it if counted.
    static func twoExamples() throws -> (Tensor, Tensor) {
        (try Tensor(shape: [2, 1, 2, 2], storage: [0.9, 0.6, 0.2, 0.1, 1, 1, 1, 1]),
         try Tensor(shape: [2, 1, 2, 2], storage: [1, 0, 1, 0, 0, 0, 0, 0]))
    }

    @Test func handComputedOverlapAtTwoThresholds() throws {
        let (p, y) = try Self.twoExamples()
        let m = try SegmentationMetrics(predictions: p, targets: y, present: [[true], [false]], thresholds: [0.5, 0.15])
        // t = 0.5: predicted {0, 1}, true {0, 2}: intersection 1, union 3.
        #expect(m.iou[0][0] == 1.0 / 3 && m.dice[0][0] == 0.5)
        // t = 0.15: predicted {0, 1, 2}: intersection 2, union 3.
        #expect(m.iou[1][0] == 2.0 / 3 && abs(m.dice[1][0]! - 0.8) < 1e-12)
        #expect(abs(m.softDice[0]! - 2 * (0.9 + 0.2) / (1.8 + 2)) < 1e-7)
        #expect(m.examples == [1])
        // Counted as an empty mask, example 1 would add 4 false positives.
        let counted = try SegmentationMetrics(predictions: p, targets: y, thresholds: [0.5])
        #expect(counted.iou[0][0] == 1.0 / 7)
    }

    @Test func aClassWithoutMasksOrPositivesIsUndefined() throws {
        let (p, y) = try Self.twoExamples()
        #expect(try SegmentationMetrics(predictions: p, targets: y, present: [[false], [false]]).iou == [[nil]])
        let zeros = try Tensor(shape: [1, 1, 2, 2], storage: [0, 0, 0, 0])
        let m = try SegmentationMetrics(predictions: zeros, targets: zeros)
        #expect(m.iou == [[nil]] && m.dice == [[nil]] && m.softDice == [nil])
    }

    @Test func matchesScikitLearn() throws {
        let r = try MetricReference.load().segmentation
        let m = try SegmentationMetrics(predictions: Tensor(shape: r.shape, storage: r.predictions),
                                        targets: Tensor(shape: r.shape, storage: r.targets),
                                        present: r.present, thresholds: r.thresholds)
        for t in r.thresholds.indices {
            for c in 0..<r.shape[1] {
                #expect(abs(m.iou[t][c]! - r.iou[t][c]) < 1e-12)
                #expect(abs(m.dice[t][c]! - r.dice[t][c]) < 1e-12)
            }
        }
        for c in 0..<r.shape[1] { #expect(abs(m.softDice[c]! - r.softDice[c]) < 1e-12) }
        #expect(m.examples == [4, 3])
    }

    @Test func badInputsAreNamed() throws {
        let (p, y) = try Self.twoExamples()
        #expect(thrownMessage { _ = try SegmentationMetrics(predictions: p, targets: Tensor(shape: [2, 4], storage: y.storage)) }
            == "segmentation metrics: shapes [2, 1, 2, 2] and [2, 4] do not match: predictions and targets must both be [N, C, …]")
        #expect(thrownMessage { _ = try SegmentationMetrics(predictions: p, targets: y, present: [[true]]) }
            == "segmentation metrics: presence flags must be 2×1, one per example and class")
        var bad = p
        bad.storage[3] = .nan
        #expect(thrownMessage { _ = try SegmentationMetrics(predictions: bad, targets: y) }
            == "segmentation metrics: non-finite value nan in predictions at flat index 3")
    }
}
