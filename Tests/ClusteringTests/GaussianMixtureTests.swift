import Foundation
import Testing
import Framework
@testable import ClusteringPlugin

@Suite struct GaussianMixtureTests {
    @Test(arguments: [GaussianMixture.Covariance.full, .diagonal])
    func matchesScikitLearn(_ covariance: GaussianMixture.Covariance) throws {
        let f = Fixture.section("gmm")
        let x = Fixture.matrix(f["x"])
        let ref = f[covariance == .full ? "full" : "diag"] as! [String: Any]
        let model = try GaussianMixture.fit(x, options: GaussianMixture.Options(k: 3, covariance: covariance), seed: 0)
        let bic = ref["bic"] as! Double
        #expect(abs(model.bic(points: x.rows) - bic) / abs(bic) < 2e-3, "BIC \(model.bic(points: x.rows)) vs scikit-learn \(bic)")
        #expect(abs(model.meanLogLikelihood - (ref["mean_log_likelihood"] as! Double)) < 5e-3)
        let labels = model.assign(x).map(\.cluster)
        #expect(Fixture.agreement(labels, ref["labels"] as! [Int]) >= x.rows - 2)
        // Each reference component has a match: mean within 0.02, weight within 0.005.
        let means = ref["means"] as! [[Double]], weights = ref["weights"] as! [Double]
        for (m, w) in zip(means, weights) {
            let j = (0..<3).min { a, b in
                zip(model.means[a], m).reduce(0.0) { $0 + pow($1.0 - $1.1, 2) } < zip(model.means[b], m).reduce(0.0) { $0 + pow($1.0 - $1.1, 2) }
            }!
            #expect(zip(model.means[j], m).allSatisfy { abs($0 - $1) < 0.02 })
            #expect(abs(model.weights[j] - w) < 0.005)
        }
    }

    @Test func bicPicksTheTrueNumberOfComponents() throws {
        let f = Fixture.section("gmm")
        let x = Fixture.matrix(f["x"])
        let reference = f["bic_by_k"] as! [String: Double]
        let (model, table) = try GaussianMixture.selectingByBIC(x, ks: [1, 2, 3, 4, 5], options: GaussianMixture.Options(), seed: 0)
        #expect(model.k == 3)
        // With one component and with the true three the optimum is unique; otherwise EM's
        // local optimum (which groups share a component) depends on its start.
        for (k, b) in table where k == 1 || k == 3 { #expect(abs(b - reference[String(k)]!) / reference[String(k)]! < 5e-3, "k=\(k): \(b) vs \(reference[String(k)]!)") }
    }

    @Test func probabilitiesSumToOne() throws {
        let x = Fixture.matrix(Fixture.section("gmm")["x"])
        let model = try GaussianMixture.fit(x, options: GaussianMixture.Options(k: 3, covariance: .diagonal), seed: 0)
        for p in try model.probabilities(x) { #expect(abs(p.reduce(0, +) - 1) < 1e-9) }
    }
}
