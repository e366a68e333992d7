import Testing
@testable import Framework

@Suite("Reliability curve and expected calibration error")
struct ReliabilityCurveTests {
    @Test func binsPairsByPredictionAndWeighsTheGapByCount() throws {
        var curve = try ReliabilityCurve(bins: 4)
        // Bin 0: 0.1 and 0.2 predicted, 0 and 1 observed; bin 3: 0.9 predicted, 1 observed.
        for (p, t) in [(0.1, 0.0), (0.2, 1.0), (0.9, 1.0)] { curve.add(prediction: p, target: t) }
        // Clamped into the last bin; NaN on either side is not counted.
        curve.add(prediction: 1.5, target: 1)
        curve.add(prediction: .nan, target: 1)
        curve.add(prediction: 0.5, target: .nan)
        #expect(curve.count == 4)
        let bins = curve.bins
        #expect(bins.count == 2)
        #expect(Swift.abs(bins[0].meanPrediction - 0.15) < 1e-12 && bins[0].meanTarget == 0.5 && bins[0].count == 2)
        #expect(Swift.abs(bins[1].meanPrediction - 0.95) < 1e-12 && bins[1].meanTarget == 1 && bins[1].count == 2)
        // ECE = 2/4 · |0.15 − 0.5| + 2/4 · |0.95 − 1| = 0.175 + 0.025.
        #expect(Swift.abs(curve.expectedCalibrationError - 0.2) < 1e-12)
    }

    @Test func aPerfectlyCalibratedCurveHasNoErrorAndAnEmptyOneIsNaN() throws {
        var curve = ReliabilityCurve()
        for k in 0..<10 { curve.add(prediction: Double(k) / 10 + 0.05, target: Double(k) / 10 + 0.05) }
        #expect(curve.bins.count == 10 && curve.expectedCalibrationError < 1e-12)
        #expect(ReliabilityCurve().expectedCalibrationError.isNaN)
        #expect(throws: TensorError.self) { try ReliabilityCurve(bins: 0) }
    }
}
