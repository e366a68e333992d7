import Testing
@testable import Framework

@Suite("Clustering metrics: purity, NMI, ARI")
struct ClusteringMetricsTests {
    @Test func renamedClustersAreAPerfectMatch() throws {
        let m = try ClusteringMetrics(labels: [0, 0, 1, 1], clusters: [5, 5, 7, 7])
        #expect(m.purity == 1 && abs(m.normalizedMutualInformation - 1) < 1e-12 && m.adjustedRandIndex == 1)
    }

    @Test func independentClustersByHand() throws {
        // Each cluster holds one of each class: MI 0; pair counts index 0, a = b = 2, expected
        // 2·2/6, so ARI = (0 − 2/3) / (2 − 2/3) = −1/2.
        let m = try ClusteringMetrics(labels: [0, 0, 1, 1], clusters: [0, 1, 0, 1])
        #expect(m.purity == 0.5 && m.normalizedMutualInformation == 0)
        #expect(abs(m.adjustedRandIndex + 0.5) < 1e-12)
        // Clusters {0, 0} and {0, 1, 1, 2}: largest classes 2 and 2 of 6.
        #expect(try ClusteringMetrics(labels: [0, 0, 0, 1, 1, 2], clusters: [0, 0, 1, 1, 1, 1]).purity == 4.0 / 6)
    }

    @Test func matchesScikitLearn() throws {
        let r = try MetricReference.load().clustering
        let m = try ClusteringMetrics(labels: r.labels, clusters: r.clusters)
        #expect(abs(m.purity - r.purity) < 1e-12)
        #expect(abs(m.normalizedMutualInformation - r.nmi) < 1e-12)
        #expect(abs(m.adjustedRandIndex - r.ari) < 1e-12)
    }

    @Test func badInputsAreNamed() {
        #expect(thrownMessage { _ = try ClusteringMetrics(labels: [0, 1], clusters: [0]) }
            == "clustering metrics: 2 labels for 1 cluster assignments")
        #expect(thrownMessage { _ = try ClusteringMetrics(labels: [], clusters: []) } == "clustering metrics: no examples")
    }
}
