import ClassifierPlugin
import Foundation
import TestSupport
import Testing
@testable import Framework

/// Seeded mutations of volunteers' files: every import is accepted whole or refused whole
/// with a message, never a crash, and an accepted file only names pool galaxies with answers
/// the loop can use.
@Suite("Label import mutation fuzz")
struct LabelImportFuzzTests {
    static let cases = ProcessInfo.processInfo.environment["ZOO_FUZZ_CASES"].flatMap { Int($0) } ?? 1000

    @Test func classAndVoteImports() throws {
        let dir = try TemporaryFolder("fuzz-labels")
        let pool: Set<String> = ["g1", "g2", "g3", "g4"]
        let tree = DecisionTree(name: "toy", questions: [.init(name: "shape", answers: ["round", "disk"]),
                                                          .init(name: "bar", answers: ["yes", "no"], askedAfter: "shape_disk")])
        let seeds: [(LabelImport.Kind, String)] = [
            (.classes(["no", "yes"]), "id_str,label\ng1,1\ng2,no\ng3,0\n"),
            (.votes(tree), "id_str,shape_round,shape_disk,bar_yes,bar_no\ng1,3,7,5,2\ng4,10,0,0,0\n"),
        ]
        var accepted = 0, refused = 0
        for k in 0..<Self.cases {
            var rng = RandomGenerator(seed: 0x5EED_F044, stream: UInt64(k))
            let (kind, text) = seeds[k % seeds.count]
            let path = try dir.write("answers.csv", FuzzMutation.mutate(Array(text.utf8), &rng))
            do {
                let imported = try LabelImport(path: path, kind: kind, pool: pool, initial: [:], journal: [:])
                for (id, answer) in imported.new {
                    #expect(pool.contains(id), "case \(k): imported an id outside the pool")
                    switch answer {
                    case let .label(c): #expect((0..<2).contains(c), "case \(k)")
                    case let .votes(v): #expect(v.count == tree.answerCount && v.allSatisfy { $0 >= 0 }, "case \(k)")
                    }
                }
                accepted += 1
            } catch {
                #expect("\(error)".contains("nothing imported"), "case \(k): \(error)")
                refused += 1
            }
        }
        print("fuzz label import: \(Self.cases) cases, \(accepted) accepted, \(refused) refused")
        #expect(accepted > 20 && refused > 100)
    }
}
