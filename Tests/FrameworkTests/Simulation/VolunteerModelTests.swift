import Foundation
import Testing
@testable import Framework

@Suite("Volunteer model and votes")
struct VolunteerModelTests {
    let tree = DecisionTree.gzDecals

    func galaxies(_ options: SimulatorOptions, seed: UInt64 = 3, count: Int = 12) throws -> [SimulatedGalaxy] {
        let sim = try GalaxySimulator(options: options, seed: seed)
        return (0..<count).map { sim.galaxy(at: $0) }
    }

    @Test func probabilitiesArePositiveAndSumToOnePerQuestion() throws {
        for g in try galaxies(SimulatorOptions(), count: 30) {
            let p = g.answerProbabilities
            #expect(p.count == 34)
            #expect(p.allSatisfy { $0 > 0 && $0 < 1 })
            for range in tree.answerRanges {
                #expect(abs(p[range].reduce(0, +) - 1) < 1e-5)
            }
        }
    }

    @Test("vote fractions converge to the answer probabilities", arguments: 0..<4)
    func votesConverge(index: Int) throws {
        let g = try galaxies(diskOptions(), count: 4)[index]
        var rng = RandomGenerator(seed: 99, stream: UInt64(index))
        let n = 20_000
        let counts = VolunteerModel.votes(tree: tree, probabilities: g.answerProbabilities, volunteers: n, rng: &rng)
        let fractions = tree.voteFractions(counts: counts)
        let reach = tree.expectedFractionAsked(answerProbabilities: g.answerProbabilities)
        let asked = tree.fractionAsked(counts: counts)
        for (q, range) in tree.answerRanges.enumerated() {
            #expect(abs(asked[q] - reach[q]) < 0.02, "\(tree.questions[q].name): asked \(asked[q]) vs \(reach[q])")
            // Only questions enough volunteers reached can be held to 0.02.
            guard reach[q] * Float(n) >= 2000 else { continue }
            for a in range {
                #expect(abs(fractions[a] - g.answerProbabilities[a]) < 0.02,
                        "\(tree.columnNames[a]): \(fractions[a]) vs \(g.answerProbabilities[a])")
            }
        }
    }

    @Test func volunteersWalkTheTree() {
        var p = [Float](repeating: 0, count: 34)
        for range in tree.answerRanges { for a in range { p[a] = 1 / Float(range.count) } }
        var rng = RandomGenerator(seed: 1)
        let counts = VolunteerModel.votes(tree: tree, probabilities: p, volunteers: 40, rng: &rng)
        let total = tree.answerRanges.map { counts[$0].reduce(0, +) }
        let column = { (name: String) in counts[self.tree.columnNames.firstIndex(of: name)!] }
        #expect(total[0] == 40 && total[9] == 40)                         // both roots, everyone
        #expect(total[1] == column("smooth-or-featured_featured-or-disk"))
        #expect(total[2] == column("disk-edge-on_no") && total[3] == total[2] && total[4] == total[2])
        #expect(total[5] == column("smooth-or-featured_smooth"))
        #expect(total[6] == column("disk-edge-on_yes"))
        #expect(total[7] == column("has-spiral-arms_yes") && total[8] == total[7])
    }

    /// The answer with the highest probability for `question`.
    func favourite(_ g: SimulatedGalaxy, _ question: String) -> String {
        let q = tree.questionIndex(question)!, range = tree.answerRanges[q]
        let best = range.max { g.answerProbabilities[$0] < g.answerProbabilities[$1] }!
        return tree.questions[q].answers[best - range.lowerBound]
    }

    @Test func answersFollowTheTruth() throws {
        var elliptical = SimulatorOptions()
        elliptical.morphologies = .init()
        elliptical.morphologies.disk = 0; elliptical.morphologies.edgeOn = 0; elliptical.morphologies.artifact = 0
        elliptical.features.merger = 0; elliptical.features.disturbance = 0; elliptical.features.stars = 0
        for g in try galaxies(elliptical) {
            #expect(favourite(g, "smooth-or-featured") == "smooth")
            #expect(favourite(g, "merging") == "none")
        }
        var artifact = elliptical
        artifact.morphologies.elliptical = 0; artifact.morphologies.artifact = 1
        for g in try galaxies(artifact) { #expect(favourite(g, "smooth-or-featured") == "artifact") }

        var edgeOn = elliptical
        edgeOn.morphologies.elliptical = 0; edgeOn.morphologies.edgeOn = 1
        for g in try galaxies(edgeOn) where g.visibility.galaxy > 0.5 {
            #expect(favourite(g, "disk-edge-on") == "yes")
            #expect(favourite(g, "how-rounded") == "cigar-shaped")
        }

        // Clear features get their answer; an absent bar gets "no".
        for g in try galaxies(diskOptions(bar: 0.5, spiral: 1), count: 30) {
            let s = g.structure
            if !s.hasBar { #expect(favourite(g, "bar") == "no") }
            if s.isStrongBar && g.visibility.bar > 0.9 { #expect(favourite(g, "bar") == "strong") }
            if g.visibility.arms > 0.8 {
                #expect(favourite(g, "has-spiral-arms") == "yes")
                #expect(favourite(g, "spiral-arm-count") == ["1", "2", "3", "4", "more-than-4", "more-than-4"][s.armCount - 1])
            }
        }
    }

    @Test func fadingFeaturesSpreadTheVotes() throws {
        // The same barred spiral seen ever farther away: the bar and arm answers lose confidence.
        var near = diskOptions(), far = diskOptions()
        near.redshift = 0.03...0.03
        far.redshift = 0.3...0.3
        let a = try GalaxySimulator(options: near, seed: 8).galaxy(at: 1)
        let b = try GalaxySimulator(options: far, seed: 8).galaxy(at: 1)
        #expect(a.structure.armCount == b.structure.armCount && a.structure.barStrength == b.structure.barStrength)
        #expect(b.visibility.arms < a.visibility.arms)
        let yes = tree.columnNames.firstIndex(of: "has-spiral-arms_yes")!
        #expect(b.answerProbabilities[yes] < a.answerProbabilities[yes])
    }
}
