import Testing
@testable import Framework

@Suite("Fréchet distance and kernel inception distance")
struct FrechetDistanceTests {
    @Test func diagonalGaussiansByHand() throws {
        // Diagonal covariances: ‖Δμ‖² + Σᵢ (σ₁ᵢ − σ₂ᵢ)² = (1 + 4) + ((1 − 3)² + (2 − 1)²) = 10.
        let a = try FrechetDistance.Gaussian(mean: [0, 0], covariance: [1, 0, 0, 4])
        let b = try FrechetDistance.Gaussian(mean: [1, 2], covariance: [9, 0, 0, 1])
        #expect(abs(try FrechetDistance.distance(a, b) - 10) < 1e-12)
        #expect(abs(try FrechetDistance.distance(a, a)) < 1e-12)
    }

    @Test func matchesPytorchFidFormula() throws {
        let r = try MetricReference.load().frechet
        #expect(abs(try FrechetDistance.distance(r.a, r.b) - r.fid) < 1e-9 * max(1, r.fid))
        #expect(abs(try FrechetDistance.distance(r.a, r.a)) < 1e-9)
    }

    @Test func kernelDistanceByHand() throws {
        // d = 1, k(a, b) = (ab + 1)³: off-diagonal XX 1+1 over 2, YY the same, XY 1+1+1+27 = 30
        // over 4 twice: 1 + 1 − 15.
        #expect(abs(try KernelInceptionDistance.mmd2([[0], [1]], [[0], [2]]) + 13) < 1e-12)
    }

    @Test func kernelDistanceMatchesTorchmetricsFormula() throws {
        let r = try MetricReference.load().frechet
        #expect(abs(try KernelInceptionDistance.mmd2(r.kidA, r.kidB) - r.kid) < 1e-9 * max(1, abs(r.kid)))
        // One subset of every row is a permutation, which the statistic does not see.
        let whole = try KernelInceptionDistance.estimate(r.kidA, r.kidB, subsets: 1, subsetSize: 30)
        #expect(abs(whole.mean - r.kid) < 1e-9 * max(1, abs(r.kid)) && whole.std == 0)
        let sampled = try KernelInceptionDistance.estimate(r.a, r.b, subsets: 20, subsetSize: 25, seed: 3)
        #expect(sampled.std > 0)
        #expect(sampled == (try KernelInceptionDistance.estimate(r.a, r.b, subsets: 20, subsetSize: 25, seed: 3)))
    }

    @Test func badInputsAreNamed() {
        #expect(thrownMessage { _ = try FrechetDistance.distance([[1, 2]], [[1, 2], [3, 4]]) }
            == "frechet distance: a Gaussian fit needs at least 2 feature rows, got 1")
        #expect(thrownMessage { _ = try FrechetDistance.distance([[1, 2], [3, 4]], [[1], [3]]) }
            == "frechet distance: features of 2 and 1 dimensions")
        #expect(thrownMessage { _ = try FrechetDistance.distance([[1, .nan], [3, 4]], [[1, 2], [3, 4]]) }
            == "frechet distance: non-finite value nan at row 0, column 1")
        #expect(thrownMessage { _ = try KernelInceptionDistance.mmd2([[1, 2], [3, 4]], [[1], [3]]) }
            == "kernel inception distance: row 0 has 1 features, expected 2")
    }
}
