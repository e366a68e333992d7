import ClassifierPlugin
import Testing
@testable import Framework

/// The GZ DECaLS/DESI table on a two-question tree whose numbers are worked by hand.
@Suite("Vote-tree evaluation: confident galaxies, MAD and calibration")
struct VoteTreeEvaluationTests {
    // shape: round | disk; bar (asked after disk): yes | no.
    static let tree = DecisionTree(name: "toy", questions: [
        .init(name: "shape", answers: ["round", "disk"]),
        .init(name: "bar", answers: ["yes", "no"], askedAfter: "shape_disk"),
    ])

    @Test func confidentGalaxiesDeviationsAndReliabilityMatchHandCounts() throws {
        // Votes [round, disk, yes, no]:
        //   g0: confidently round; nobody reached the bar question.
        //   g1: confidently disk; bar yes 8 of 9 (> 0.8), asked of 9 of 10 → confident.
        //   g2: split on shape; bar no 4 of 5 is not > 0.8 → not confident.
        let counts = try Tensor(shape: [3, 4], storage: [9, 1, 0, 0, 1, 9, 8, 1, 5, 5, 1, 4])
        let predictions: [[Float]] = [[0.8, 0.2, 0.5, 0.5], [0.3, 0.7, 0.4, 0.6], [0.5, 0.5, 0.5, 0.5]]
        let table = VoteTreeEvaluation(tree: Self.tree, predictions: predictions, counts: counts)

        #expect(table.questions.map(\.confidentCount) == [2, 1])
        #expect(table.questions[0].accuracy == 1)   // g0 round, g1 disk: both right
        #expect(table.questions[1].accuracy == 0)   // g1 bar yes predicted no
        // MAD of shape_round over g0, g1, g2: (0.1 + 0.2 + 0) / 3; bar_yes over g1, g2.
        let mad = Dictionary(uniqueKeysWithValues: table.deviations.map { ($0.column, ($0.mad, $0.count)) })
        #expect(Swift.abs(mad["shape_round"]!.0 - 0.1) < 1e-6 && mad["shape_round"]!.1 == 3)
        #expect(Swift.abs(mad["bar_yes"]!.0 - (abs(0.4 - 8.0 / 9) + 0.3) / 2) < 1e-6 && mad["bar_yes"]!.1 == 2)

        // Reliability: every answer of every galaxy asked the question (g0 never reached bar).
        #expect(table.reliability.map(\.count) == [6, 4])
        #expect(table.pooledReliability.count == 10)
        // shape gaps, one pair per bin but the two 0.5s: 0.1, 0.2, 0, 0.2, 0.1 over 6 pairs.
        #expect(Swift.abs(table.reliability[0].expectedCalibrationError - 0.6 / 6) < 1e-6)
        let shapeBins = table.reliability[0].bins
        #expect(shapeBins.map(\.count) == [1, 1, 2, 1, 1])
        #expect(shapeBins[2].meanTarget == 0.5)
    }
}
