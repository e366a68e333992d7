import TestSupport
import Foundation
import Testing
@testable import Framework

@Suite("Pixel ROC AUC and calibration of masks")
struct SegmentationPixelMetricsTests {
    // Example 0: class 0 has truth {0, 1}; example 1 has no class-0 mask (left out).
    let p = try! Tensor(shape: [2, 1, 2, 2], storage: [0.9, 0.4, 0.2, 0.6, 0.1, 0.1, 0.9, 0.9])
    let t = try! Tensor(shape: [2, 1, 2, 2], storage: [1, 1, 0, 0, 1, 1, 0, 0])

    @Test func aucPoolsThePixelsOfExamplesWithAMask() throws {
        // Positives 0.9, 0.4 against negatives 0.2, 0.6: 3 of 4 pairs ordered.
        #expect(try SegmentationMetrics.pixelROCAUC(predictions: p, targets: t, present: [[true], [false]]) == [0.75])
        // With example 1, whose prediction is inverted, 4 of the 16 pooled pairs are ordered.
        let both = try #require(try SegmentationMetrics.pixelROCAUC(predictions: p, targets: t)[0])
        #expect(Swift.abs(both - 4.0 / 16) < 1e-12)
        #expect(try SegmentationMetrics.pixelROCAUC(predictions: p, targets: t, present: [[false], [false]]) == [nil])
    }

    @Test func calibrationBinsPixelsByPrediction() throws {
        let soft = try Tensor(shape: [2, 1, 2, 2], storage: [0.5, 0.5, 0, 0.5, 0, 0, 0, 0])
        let bins = try SegmentationMetrics.calibration(predictions: p, targets: soft, present: [[true], [false]], bins: 2)
        #expect(bins[0].count == 2)
        #expect(Swift.abs(bins[0][0].meanPrediction - 0.3) < 1e-6 && bins[0][0].meanTarget == 0.25 && bins[0][0].pixels == 2)
        #expect(Swift.abs(bins[0][1].meanPrediction - 0.75) < 1e-6 && bins[0][1].meanTarget == 0.5 && bins[0][1].pixels == 2)
        #expect(throws: TensorError.self) { try SegmentationMetrics.calibration(predictions: p, targets: soft, bins: 0) }
    }
}
