import Foundation
import Testing
@testable import Framework

@Suite("Embedding acquisition: core-set and GP expected improvement")
struct EmbeddingAcquisitionTests {
    /// Three tight clusters of 10 points each around (0,0), (10,0) and (0,10).
    static func clusters() -> [[Float]] {
        var rng = RandomGenerator(seed: 5)
        return [[0, 0], [10, 0], [0, 10]].flatMap { c in
            (0..<10).map { _ in [Float(c[0]) + 0.1 * rng.normal(), Float(c[1]) + 0.1 * rng.normal()] }
        }
    }

    @Test func coreSetBatchCoversEveryCluster() throws {
        let points = Self.clusters()
        var rng = RandomGenerator(seed: 0)
        let input = AcquisitionInput(passes: [], embeddings: points, labelledEmbeddings: [[0, 0]])
        let picked = try CoreSetAcquisition().select(k: 2, from: input, rng: &rng)
        // Labelled point sits in cluster 0: the two picks are one from each other cluster.
        #expect(Set(picked.map { $0 / 10 }) == [1, 2])
        // Top-k by score alone would take near-duplicates from one cluster; k-centre does not.
        let noLabels = AcquisitionInput(passes: [], embeddings: points)
        let three = try CoreSetAcquisition().select(k: 3, from: noLabels, rng: &rng)
        #expect(Set(three.map { $0 / 10 }).count == 3)
        #expect(three == (try CoreSetAcquisition().select(k: 3, from: noLabels, rng: &rng)))
    }

    @Test func gpInterpolatesItsTrainingPoints() throws {
        let x: [[Double]] = [[0, 0], [1, 0], [0, 2], [3, 1]]
        let y = [0.2, 1.0, -0.5, 0.7]
        let gp = try GaussianProcess(points: x, values: y, lengthScale: 1, signalVariance: 1, noiseVariance: 1e-8)
        for (p, v) in zip(x, y) {
            let (m, s2) = gp.predict(p)
            #expect(abs(m - v) < 1e-4)
            #expect(s2 < 1e-4)
        }
        // Far away: back to the prior mean and variance.
        let far = gp.predict([100, 100])
        #expect(abs(far.mean - y.reduce(0, +) / 4) < 1e-9)
        #expect(abs(far.variance - 1) < 1e-9)
    }

    @Test func gpNamesAKernelMatrixThatCannotBeFactorised() {
        #expect {
            _ = try GaussianProcess(points: [[0], [.nan]], values: [1, 2], lengthScale: 1, signalVariance: 1, noiseVariance: 0)
        } throws: { error in
            "\(error)".hasPrefix("gaussian process: kernel matrix: cholesky: non-finite value")
        }
    }

    @Test func expectedImprovementPrefersHighMeanAndHighVariance() {
        let ei = ExpectedImprovementAcquisition.expectedImprovement
        #expect(ei(1.0, 0.3, 0.5, 0.1) > ei(0.5, 0.3, 0.5, 0.1))
        #expect(ei(0.5, 0.6, 0.5, 0.1) > ei(0.5, 0.2, 0.5, 0.1))
        #expect(ei(0.5, 0, 0.5, 0.1) == 0)
        #expect(abs(ei(2, 0, 0.5, 0.1) - 1.4) < 1e-12)
    }

    @Test func gpEIPicksNearTheInterestingRatingAndNeverARatedOne() throws {
        let points = Self.clusters()
        // One interesting galaxy rated in cluster 1, one dull in cluster 0.
        let input = AcquisitionInput(passes: [], embeddings: points, ratings: [(index: 10, value: 1), (index: 0, value: 0)])
        let acquisition = ExpectedImprovementAcquisition(xi: 0.01, lengthScale: 2, signalVariance: 0.05, noiseVariance: 0.01)
        let s = try acquisition.scores(input)
        #expect(s[10] == -.infinity && s[0] == -.infinity)
        var rng = RandomGenerator(seed: 0)
        let picked = try acquisition.select(k: 5, from: input, rng: &rng)
        #expect(picked.allSatisfy { (11..<20).contains($0) })
        #expect(picked == (try acquisition.select(k: 5, from: input, rng: &rng)))
        #expect(throws: TensorError.self) { try acquisition.scores(AcquisitionInput(passes: [], embeddings: points)) }
    }

    @Test func defaultLengthScaleIsTheMedianDistance() {
        #expect(GaussianProcess.medianDistance([[0], [1], [3]]) == 2)
    }
}
