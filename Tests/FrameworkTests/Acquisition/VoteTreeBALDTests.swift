import Foundation
import Testing
@testable import Framework

@Suite("Vote-tree BALD")
struct VoteTreeBALDTests {
    /// A root question with two answers and a follow-up asked after `root_b`.
    static let tree = DecisionTree(name: "toy", questions: [
        .init(name: "root", answers: ["a", "b"]),
        .init(name: "follow", answers: ["x", "y", "z"], askedAfter: "root_b"),
    ])

    static func input(_ passes: [[[Float]]], votes: Double = 10) -> AcquisitionInput {
        AcquisitionInput(passes: passes, tree: tree, expectedVotes: votes)
    }

    @Test func dirichletMultinomialSumsToOne() {
        let alpha = [0.7, 2.0, 3.5]
        let total = DirichletMultinomial.countVectors(total: 6, parts: 3)
            .reduce(0.0) { $0 + exp(DirichletMultinomial.logProbability(counts: $1, alpha: alpha)) }
        #expect(abs(total - 1) < 1e-10)
        #expect(DirichletMultinomial.countVectors(total: 6, parts: 3).count == 28)
        #expect(DirichletMultinomial.countVectorCount(total: 6, parts: 3, limit: 100) == 28)
        #expect(DirichletMultinomial.countVectorCount(total: 40, parts: 6, limit: 1000) == nil)
    }

    @Test func identicalPassesGiveZero() throws {
        let pass: [[Float]] = [[2, 3, 1, 1, 4], [5, 1, 2, 2, 2]]
        let s = try BALDAcquisition().scores(Self.input([pass, pass, pass]))
        #expect(s.allSatisfy { abs($0) < 1e-9 })
    }

    @Test func disagreeingConcentrationsScoreHigher() throws {
        // Example 0: passes agree. Example 1: the same mean fractions per question, but
        // confident passes pointing different ways.
        let agree: [Float] = [5, 5, 3, 3, 3]
        let s = try BALDAcquisition().scores(Self.input([[agree, [18, 2, 10, 1, 1]], [agree, [2, 18, 1, 10, 1]]]))
        #expect(abs(s[0]) < 1e-9)
        #expect(s[1] > 0.1)
    }

    @Test func anUnaskedQuestionContributesNothing() throws {
        // Every pass puts ~all weight on root_a: P(follow asked) ≈ 0, so N rounds to 0 and the
        // wildly disagreeing follow-up passes must not count.
        let p1: [Float] = [1000, 0.001, 50, 0.1, 0.1]
        let p2: [Float] = [1000, 0.001, 0.1, 50, 0.1]
        let onlyFollow = BALDAcquisition(questions: ["follow"])
        #expect(try onlyFollow.scores(Self.input([[p1], [p2]]))[0] == 0)
        // Once the question is asked, the same disagreement counts.
        let q1: [Float] = [0.001, 1000, 50, 0.1, 0.1]
        let q2: [Float] = [0.001, 1000, 0.1, 50, 0.1]
        #expect(try onlyFollow.scores(Self.input([[q1], [q2]]))[0] > 0.5)
    }

    @Test func monteCarloAgreesWithEnumeration() throws {
        let passes: [[[Float]]] = [[[3, 1, 2, 5, 1]], [[1, 4, 6, 1, 2]], [[2, 2, 1, 1, 7]]]
        let exact = try BALDAcquisition(maxEnumerated: 100_000).scores(Self.input(passes, votes: 12))[0]
        let sampled = try BALDAcquisition(maxEnumerated: 1, samples: 2000, seed: 3).scores(Self.input(passes, votes: 12))
        #expect(abs(sampled[0] - exact) < 0.05 * exact + 0.01)
        // Seeded: the same call gives the same estimate.
        #expect(sampled == (try BALDAcquisition(maxEnumerated: 1, samples: 2000, seed: 3).scores(Self.input(passes, votes: 12))))
    }

    @Test func badTreeInputIsRefused() {
        #expect(throws: TensorError.self) { try BALDAcquisition().scores(Self.input([[[1, 1, 1]]])) }
        #expect(throws: TensorError.self) { try BALDAcquisition().scores(Self.input([[[1, 0, 1, 1, 1]]])) }
        #expect(throws: TensorError.self) { try BALDAcquisition(questions: ["nope"]).scores(Self.input([[[1, 1, 1, 1, 1]]])) }
        #expect(throws: TensorError.self) { try MaxEntropyAcquisition().scores(Self.input([[[1, 1, 1, 1, 1]]])) }
    }
}
