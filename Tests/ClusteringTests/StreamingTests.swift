import Foundation
import Testing
import Framework
@testable import ClusteringPlugin

/// Streaming: mini-batch k-means finds the structure batch k-means finds, and the patch
/// pipeline gives the same result whether it caches the patch features or recomputes them
/// on every pass (bounded memory).
@Suite struct StreamingTests {
    @Test func miniBatchKMeansNearlyMatchesBatchKMeans() throws {
        let x = Fixture.matrix(Fixture.section("kmeans")["x"])
        var rng = RandomGenerator(seed: 2)
        var streaming = MiniBatchKMeans(k: 4, dimensions: x.cols)
        for _ in 0..<5 { for chunk in KMeans.chunks(x.rows, size: 50) { try streaming.learn(x.selecting(Array(chunk)), rng: &rng) } }
        let a = try streaming.model.assign(x)
        let inertia = a.reduce(0.0) { $0 + Double($1.distance * $1.distance) }
        let reference = Fixture.section("kmeans")["inertia"] as! Double
        #expect(inertia < 1.05 * reference, "mini-batch inertia \(inertia) vs scikit-learn's batch \(reference)")
        #expect(Fixture.agreement(a.map(\.cluster), Fixture.section("kmeans")["labels"] as! [Int]) >= x.rows - 6)
    }

    @Test func cachedAndStreamedPatchesGiveTheSamePipeline() throws {
        let dataset = try SimulatedGalaxies(seed: 5, count: 12, options: { var o = SimulatorOptions(); o.imageSize = 32; return o }())
        var options = PatchPipeline.Options()
        options.gng.maxNodes = 12
        options.gng.lambda = 20
        options.patchTypes = 4
        options.galaxyClusters = KMeans.Options(k: 3, restarts: 1)
        options.shuffleBuffer = 64
        options.fitSample = 100
        let features = try PatchFeatures(options: options.features, patch: options.patch, backbone: nil)
        func fit(budget: Int) throws -> (PatchPipeline, FeatureMatrix) {
            var o = options
            o.memoryBudgetMB = budget
            let (p, h, _) = try PatchPipeline.fit(options: o, features: features, dataset: dataset, indices: Array(0..<12), seed: 3) { _ in }
            return (p, h)
        }
        let (cached, hc) = try fit(budget: 64), (streamed, hs) = try fit(budget: 0)
        #expect(cached.gng.nodes == streamed.gng.nodes)
        #expect(hc == hs)
        #expect(cached.galaxyModel.centres == streamed.galaxyModel.centres)
    }
}
