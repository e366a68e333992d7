import Foundation
import Testing
import Framework
@testable import ClusteringPlugin

@Suite struct KMeansTests {
    @Test func matchesScikitLearnOnBlobs() throws {
        let f = Fixture.section("kmeans")
        let x = Fixture.matrix(f["x"])
        let model = try KMeans.fit(x, options: KMeans.Options(k: 4, restarts: 4), seed: 1)
        let sklearnInertia = f["inertia"] as! Double
        #expect(abs(model.inertia - sklearnInertia) / sklearnInertia < 1e-3, "inertia \(model.inertia) vs scikit-learn \(sklearnInertia)")
        let labels = try model.assign(x).map(\.cluster)
        let reference = f["labels"] as! [Int]
        #expect(Fixture.agreement(labels, reference) == x.rows)
        // Every scikit-learn centre has one of ours within 1e-3.
        for c in (f["centres"] as! [[Double]]) {
            let nearest = (0..<4).map { j in zip(model.centres.row(j), c).reduce(0.0) { $0 + pow(Double($1.0) - $1.1, 2) } }.min()!
            #expect(nearest.squareRoot() < 1e-3)
        }
    }

    @Test func assignmentGivesDistanceAndRunnerUp() throws {
        let centres = FeatureMatrix(rows: 3, cols: 1, values: [0, 10, 3])
        let model = KMeans(centres: centres)
        let a = try model.assign(FeatureMatrix(rows: 2, cols: 1, values: [1, 9]))
        #expect(a[0] == ClusterAssignment(cluster: 0, distance: 1, secondBest: 2))
        #expect(a[1] == ClusterAssignment(cluster: 1, distance: 1, secondBest: 2))
    }

    @Test func isReproducibleForASeed() throws {
        let x = Fixture.matrix(Fixture.section("kmeans")["x"])
        let a = try KMeans.fit(x, options: KMeans.Options(k: 6, restarts: 2), seed: 5)
        let b = try KMeans.fit(x, options: KMeans.Options(k: 6, restarts: 2), seed: 5)
        #expect(a.centres == b.centres)
    }

    @Test func rejectsTooFewPoints() {
        #expect(throws: TensorError.self) { try KMeans.fit(FeatureMatrix(rows: 2, cols: 1, values: [0, 1]), options: KMeans.Options(k: 3), seed: 0) }
    }
}
