import Testing
import Framework
@testable import ClusteringPlugin

@Suite struct AgglomerativeClusteringTests {
    @Test(arguments: [AgglomerativeClustering.Linkage.ward, .average])
    func matchesScikitLearn(_ linkage: AgglomerativeClustering.Linkage) throws {
        let f = Fixture.section("agglomerative")
        let x = Fixture.matrix(f["x"])
        let labels = try AgglomerativeClustering(x, linkage: linkage).labels(groups: 4)
        let reference = f[linkage.rawValue] as! [Int]
        #expect(Set(labels).count == 4)
        #expect(Fixture.agreement(labels, reference) == x.rows)
        #expect(Fixture.agreement(reference, labels) == x.rows)
    }

    @Test func wardMergeHeightsGrowAndCutsNest() throws {
        let x = Fixture.matrix(Fixture.section("agglomerative")["x"])
        let tree = try AgglomerativeClustering(x, linkage: .ward)
        #expect(zip(tree.merges, tree.merges.dropFirst()).allSatisfy { $0.distance <= $1.distance + 1e-9 })
        // Cutting into 2 groups only merges groups of the 4-group cut.
        let four = try tree.labels(groups: 4), two = try tree.labels(groups: 2)
        #expect(Fixture.agreement(four, two) == x.rows)
    }
}
