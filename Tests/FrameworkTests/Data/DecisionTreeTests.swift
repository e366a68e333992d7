import Foundation
import Testing
@testable import Framework

@Suite("Galaxy Zoo decision trees")
struct DecisionTreeTests {
    let tree = DecisionTree.gzDecals

    @Test func decalsHasTenQuestionsAndThirtyFourAnswers() throws {
        #expect(tree.questions.count == 10)
        #expect(tree.answerCount == 34)
        #expect(tree.columnNames.count == 34)
        #expect(Set(tree.columnNames).count == 34)
        try tree.validate()
        try DecisionTree.rings.validate()
        #expect(DecisionTree.rings.columnNames == ["ring_yes", "ring_no"])
    }

    @Test func columnNamesFollowQuestionThenAnswerOrder() {
        let names = tree.columnNames
        #expect(Array(names.prefix(6)) == [
            "smooth-or-featured_smooth", "smooth-or-featured_featured-or-disk", "smooth-or-featured_artifact",
            "disk-edge-on_yes", "disk-edge-on_no", "has-spiral-arms_yes",
        ])
        #expect(names[18] == "edge-on-bulge_boxy")
        #expect(Array(names.suffix(4)) == [
            "merging_none", "merging_minor-disturbance", "merging_major-disturbance", "merging_merger",
        ])
        #expect(tree.questions.map(\.name) == [
            "smooth-or-featured", "disk-edge-on", "has-spiral-arms", "bar", "bulge-size", "how-rounded",
            "edge-on-bulge", "spiral-winding", "spiral-arm-count", "merging",
        ])
    }

    @Test func answerRangesTileTheVoteVector() {
        let ranges = tree.answerRanges
        #expect(ranges.map(\.count) == [3, 2, 2, 3, 5, 3, 3, 3, 6, 4])
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == 34)
        for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
    }

    @Test func spiralWindingDependsOnFeaturedThenFaceOnThenSpiral() {
        #expect(tree.dependencyChain(of: "spiral-winding") == [
            "smooth-or-featured_featured-or-disk", "disk-edge-on_no", "has-spiral-arms_yes",
        ])
        #expect(tree.dependencyChain(of: "smooth-or-featured") == [])
        #expect(tree.dependencyChain(of: "merging") == [])
        #expect(tree.dependencyChain(of: "edge-on-bulge") == ["smooth-or-featured_featured-or-disk", "disk-edge-on_yes"])
        #expect(tree.dependencyChain(of: "no-such-question") == nil)
        let roots = tree.rootQuestions
        #expect(roots[tree.questionIndex("spiral-winding")!] == 0)
        #expect(roots[tree.questionIndex("merging")!] == 9)
    }

    @Test func voteFractionsAreNaNFreeAndSumToOnePerAnsweredQuestion() {
        var counts = [Float](repeating: 0, count: 34)
        counts[0] = 10; counts[1] = 30; counts[2] = 0       // 40 at the root
        counts[3] = 6; counts[4] = 24                       // 30 reached edge-on
        let f = tree.voteFractions(counts: counts)
        #expect(!f.contains { $0.isNaN })
        #expect(f[0] == 0.25 && f[1] == 0.75 && f[2] == 0)
        #expect(f[3] == 0.2 && f[4] == 0.8)
        #expect(f[5...].allSatisfy { $0 == 0 })             // unanswered questions give 0
        let asked = tree.fractionAsked(counts: counts)
        #expect(asked[0] == 1 && asked[1] == 0.75 && asked[2] == 0)
        #expect(asked[9] == 0)                              // merging root with no votes
        #expect(tree.fractionAsked(counts: [Float](repeating: 0, count: 34)).allSatisfy { $0 == 0 })
    }

    @Test func expectedFractionAskedMultipliesAlongThePath() {
        var p = [Float](repeating: 0, count: 34)
        for range in tree.answerRanges { for i in range { p[i] = 1 / Float(range.count) } }
        p[0] = 0.2; p[1] = 0.7; p[2] = 0.1
        p[3] = 0.4; p[4] = 0.6
        p[5] = 0.9; p[6] = 0.1
        let reach = tree.expectedFractionAsked(answerProbabilities: p)
        #expect(reach[0] == 1 && reach[9] == 1)
        #expect(abs(reach[1] - 0.7) < 1e-6)
        #expect(abs(reach[2] - 0.42) < 1e-6)                 // featured × not edge-on
        #expect(abs(reach[7] - 0.378) < 1e-6)                // … × spiral yes
        #expect(abs(reach[6] - 0.28) < 1e-6)                 // featured × edge-on
        #expect(abs(reach[5] - 0.2) < 1e-6)                  // smooth
    }

    @Test func countsFromACatalogRow() {
        let c = tree.counts(from: ["bar_weak": 3, "merging_merger": 2, "not-a-column": 9])
        #expect(c[tree.columnNames.firstIndex(of: "bar_weak")!] == 3)
        #expect(c[33] == 2)
        #expect(c.reduce(0, +) == 5)
    }

    @Test func yamlRoundTripKeepsEveryQuestion() throws {
        for original in [tree, DecisionTree.rings] {
            let text = try original.yaml()
            let back = try DecisionTree.decode(yaml: text, file: "roundtrip.yaml")
            #expect(back == original)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zoorun-tree-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("decals.yaml").path
        try tree.yaml().write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try DecisionTree.load(yamlPath: path) == tree)
    }

    @Test func handWrittenYAMLWithUnquotedYesNoDecodes() throws {
        let text = """
        name: tiny
        questions:
          - name: smooth-or-featured
            answers: [smooth, featured]
          - name: disk-edge-on
            answers: [yes, no]
            asked_after: smooth-or-featured_featured
        """
        let t = try DecisionTree.decode(yaml: text, file: "tiny.yaml")
        #expect(t.columnNames == ["smooth-or-featured_smooth", "smooth-or-featured_featured", "disk-edge-on_yes", "disk-edge-on_no"])
        #expect(t.questions[1].askedAfter == "smooth-or-featured_featured")
    }

    static let badTrees: [(yaml: String, expected: [String])] = [
        ("""
        name: t
        questions:
          - name: a
            answers: [x, y]
          - name: b
            answers: [u, v]
            asked_after: a_z
        """, ["bad.yaml:5:5", "question 'b'", "asked_after 'a_z'"]),
        ("""
        name: t
        questions:
          - name: a
            answers: [x, y]
            asked_after: b_u
          - name: b
            answers: [u, v]
            asked_after: a_x
        """, ["bad.yaml:3:5", "question 'a'", "cycle", "a → b → a"]),
        ("""
        name: t
        questions:
          - name: a
            answers: [x, y]
          - name: a
            answers: [u, v]
        """, ["bad.yaml:5:5", "question 'a'", "used by another question"]),
        ("""
        name: t
        questions:
          - name: a
            answers: [x, y]
            askedAfter: b_u
        """, ["bad.yaml:5:5", "question 'a'", "unknown key 'askedAfter'", "asked_after"]),
        ("""
        name: t
        questions:
          - name: a
            answers: [x, x]
        """, ["bad.yaml:3:5", "question 'a'", "answer 'x' appears twice"]),
        ("""
        name: t
        questions:
          - name: a
            answers: [x, y]
          - answers: [u, v]
        """, ["bad.yaml:5:5", "missing key 'name'"]),
        ("""
        name: t
        questions:
          - name: a
            answers: x
        """, ["bad.yaml:4:14", "question 'a'", "questions[0].answers"]),
        ("""
        name: t
        questions: [
        """, ["bad.yaml", "not valid YAML"]),
        ("""
        name: t
        questions:
          - name: a
            answers: [x, y]
            asked_after: a_x
        """, ["question 'a'", "cycle", "a → a"]),
    ]

    @Test("bad YAML names the file, line and question", arguments: badTrees)
    func badYAML(_ bad: (yaml: String, expected: [String])) {
        do {
            _ = try DecisionTree.decode(yaml: bad.yaml, file: "bad.yaml")
            Issue.record("expected an error for \(bad.yaml)")
        } catch let error as DecisionTreeError {
            for piece in bad.expected {
                #expect(error.description.contains(piece), "\(error.description) should contain \(piece)")
            }
        } catch {
            Issue.record("unexpected error type: \(error)")
        }
    }

    @Test func missingFileIsNamed() {
        #expect(throws: DecisionTreeError.self) { try DecisionTree.load(yamlPath: "/nonexistent/tree.yaml") }
        do { _ = try DecisionTree.load(yamlPath: "/nonexistent/tree.yaml") } catch {
            #expect("\(error)".contains("/nonexistent/tree.yaml"))
        }
    }
}
