import Testing
@testable import Framework

@Suite("Classification metrics")
struct ClassificationMetricsTests {
    @Test func confusionPrecisionRecall() {
        // True: 1,1,1,0,0 ; predicted: 1,1,0,1,0.
        let probs: [[Float]] = [[0.2, 0.8], [0.1, 0.9], [0.6, 0.4], [0.3, 0.7], [0.9, 0.1]]
        let m = ClassificationMetrics(probabilities: probs, labels: [1, 1, 1, 0, 0])
        #expect(m.confusion == [[1, 1], [1, 2]])
        #expect(abs(m.accuracy - 0.6) < 1e-12)
        #expect(abs(m.precision[1] - 2.0 / 3) < 1e-12)
        #expect(abs(m.recall[1] - 2.0 / 3) < 1e-12)
        #expect(abs(m.f1[0] - 0.5) < 1e-12)
        // Scores of positives: .8 .9 .4; negatives: .7 .1 → pairs won: (.8>.7,.8>.1,.9>.7,.9>.1,.4>.1) = 5 of 6.
        #expect(abs(m.rocAUC! - 5.0 / 6) < 1e-12)
    }

    @Test func aucTiesAndDegenerate() {
        #expect(ClassificationMetrics.auc(scores: [0.5, 0.5], positives: [true, false]) == 0.5)
        #expect(ClassificationMetrics.auc(scores: [0.1, 0.2], positives: [true, true]) == nil)
        let curve = ClassificationMetrics.rocCurve(scores: [0.9, 0.8, 0.3], positives: [true, false, true])
        #expect(curve.first! == (0, 0) && curve.last! == (1, 1))
    }
}
