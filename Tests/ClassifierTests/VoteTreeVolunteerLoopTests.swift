import TestSupport
import Foundation
import Testing
@testable import ClassifierPlugin
@testable import Framework

@Suite("The weekly volunteer loop with a vote-tree head: route, import votes, retrain", .serialized)
struct VoteTreeVolunteerLoopTests {
    static func registry() -> Registry {
        let r = Registry.simulatedForTests()
        r.register(task: VolunteerLoopComponent.self, plugin: "Classifier")
        r.register(head: VoteTreeComponent.self, plugin: "Classifier")
        r.register(acquisition: BALDComponent.self, plugin: "Framework")
        return r
    }

    static let yaml = """
    name: tinyvoteloop
    seed: 2
    task:
      kind: volunteer-loop
      mc_samples: 3
      threshold: 0.9
      expected_votes: 10
    data:
      kind: simulated-galaxies
      count: 60
      train: 0.4
      val: 0.3
      test: 0.3
      simulator: {image_size: 32}
    backbone: {kind: compact}
    head: {kind: vote-tree, dropout: 0.2}
    training: {epochs: 1, batch_size: 8, warmup_epochs: 0, patience: 0, workers: 1}
    """

    let dir: TemporaryFolder
    let config: String
    init() throws {
        dir = try TemporaryFolder("zoorun-voteloop")
        config = try dir.write("loop.yaml", text: Self.yaml)
    }
    var out: String { dir.file("loop") }
    static let columns = DecisionTree.gzDecals.columnNames

    func loop(overrides: [String] = [], crashAt: String? = nil) throws -> VolunteerLoop {
        let e = try Experiment.load(path: config, overrides: overrides, registry: Self.registry(), runFolder: out)
        let l = try VolunteerLoop(experiment: e, options: e.config.task.decodeOptions(VolunteerLoopComponent.Options.self))
        l.crashPoint = crashAt
        l.crashByThrowing = true
        return l
    }

    func state() throws -> VolunteerLoopState { try #require(try VolunteerLoopState.load("\(out)/state.json")) }

    /// The simulator's vote counts of galaxy `id`, in the tree's column order.
    func truth(_ l: VolunteerLoop, _ id: String) throws -> [Int] {
        let i = try #require((0..<l.source.dataset.count).first { l.source.dataset.id(at: $0) == id })
        let votes = try l.source.dataset.targets(at: i).votes
        return Self.columns.map { Int(votes[$0] ?? 0) }
    }

    func votesFile(_ name: String, _ rows: [(String, [String])]) throws -> String {
        try dir.write(name, text: (["id_str"] + Self.columns).joined(separator: ",") + "\n"
                      + rows.map { ([$0.0] + $0.1).joined(separator: ",") + "\n" }.joined())
    }

    @Test func aRoundRoutesNotConfidentlySmoothByBALDImportsVotesAndRetrains() throws {
        let l = try loop()
        #expect(l.metric == "loss")
        _ = try l.advance(importing: nil)
        #expect(try state().metric == "loss")
        // Stored passes are Dirichlet concentrations (α ≥ 1), one column per answer.
        let predictions = try CSVTable.read(path: "\(out)/predictions-0.csv")
        #expect(predictions.header == ["id_str", "pass"] + Self.columns)
        #expect(predictions.rows.count == l.pool.count * 3)
        var passes = [[[Float]]](repeating: [], count: 3)
        var ids: [String] = []
        for row in predictions.rows {
            let alpha = row[2...].map { Float($0)! }
            #expect(alpha.allSatisfy { $0 >= 1 })
            passes[Int(row[1])!].append(alpha)
            if row[1] == "0" { ids.append(row[0]) }
        }
        // Routed: exactly the pool galaxies whose expected smooth fraction (α normalised over
        // smooth-or-featured, averaged over passes) is below 0.9.
        let smooth = ids.indices.map { i in passes.map { $0[i][0] / ($0[i][0] + $0[i][1] + $0[i][2]) }.reduce(0, +) / 3 }
        let queue = try CSVTable.read(path: "\(out)/queue-0.csv")
        #expect(queue.header == ["rank", "id_str"] + Self.columns.map { "p_\($0)" } + ["score"])
        let queued = try #require(queue.column("id_str"))
        #expect(Set(queued) == Set(ids.indices.filter { smooth[$0] < 0.9 }.map { ids[$0] }))
        #expect(queued.count >= 3, "the test needs at least 3 routed galaxies")
        for row in queue.rows {
            let i = ids.firstIndex(of: row[1])!
            #expect(abs(Double(row[2])! - Double(smooth[i])) < 1e-4)
        }
        // Ordered by vote-tree BALD over the whole tree with N = 10 × P(asked).
        let scores = queue.column("score")!.map { Double($0)! }
        #expect(scores == scores.sorted(by: >) && scores[0] > 0)
        let first = ids.firstIndex(of: queued[0])!
        let bald = try BALDAcquisition(seed: 2).scores(AcquisitionInput(passes: passes.map { [$0[first]] }, tree: .gzDecals,
                                                                         expectedVotes: 10))[0]
        #expect(abs(bald - scores[0]) < 0.02 * scores[0] + 1e-3)

        // Volunteers return the simulator's votes for the first three.
        let answered = Array(queued.prefix(3))
        let truths = try answered.map { try truth(l, $0) }
        let file = try votesFile("week.csv", zip(answered, truths).map { ($0, $1.map(String.init)) })
        let report = try loop().advance(importing: file)
        #expect(report.lines.contains("imported 3 new vote sets from \(file)"))
        let entries = try LabelJournal(path: "\(out)/labels.jsonl").entries
        #expect(entries.map(\.id) == answered && entries.allSatisfy { $0.label == nil })
        for (e, t) in zip(entries, truths) { #expect(Self.columns.map { e.votes?[$0] ?? -1 } == t) }
        let s = try state()
        #expect(s.round == 1 && s.decisions.count == 1)
        let d = s.decisions[0]
        #expect(d.labels == 24 + 3 && d.accepted == (d.candidate <= d.previous))
        #expect(s.model == (d.accepted ? "models/round-1.safetensors" : "models/round-0.safetensors"))
        #expect(Set(try CSVTable.read(path: "\(out)/queue-1.csv").column("id_str")!).isDisjoint(with: answered))

        // Training sees the imported votes, and no votes of the other pool galaxies.
        let data = try loop().labelledDataset(LabelJournal(path: "\(out)/labels.jsonl"))
        for i in l.pool {
            let votes = try data.targets(at: i).votes
            let id = l.source.dataset.id(at: i)
            if let k = answered.firstIndex(of: id) {
                #expect(Self.columns.map { Int(votes[$0]!) } == truths[k])
            } else {
                #expect(votes.isEmpty, "pool galaxy \(id) leaks its simulated votes")
            }
        }
        // The same file again: nothing new, no retraining.
        let again = try loop().advance(importing: file)
        #expect(again.lines.contains("imported 0 new vote sets from \(file) (3 already in the journal, skipped)"))
        #expect(try state().round == 1)
    }

    @Test func routingUsesExpectedVoteFractionsOfTheConfidentAnswer() throws {
        // Fractions over smooth-or-featured (smooth, featured-or-disk, artifact); the rest 0.
        func p(_ smooth: Float, _ featured: Float) -> [Float] {
            [smooth, featured, 1 - smooth - featured] + [Float](repeating: 0, count: 31)
        }
        let smooth = try loop()
        #expect(!smooth.routes(p(0.95, 0.04)) && smooth.routes(p(0.5, 0.4)) && smooth.routes(p(0.05, 0.93)))
        let anyAnswer = try loop(overrides: ["task.rule=not-confident"])
        #expect(!anyAnswer.routes(p(0.95, 0.04)) && anyAnswer.routes(p(0.5, 0.4)) && !anyAnswer.routes(p(0.05, 0.93)))
        let featured = try loop(overrides: ["task.confident_class=smooth-or-featured_featured-or-disk"])
        #expect(featured.routes(p(0.95, 0.04)) && !featured.routes(p(0.05, 0.93)))
        // Mean prediction: each pass's α normalised per question, then averaged over passes.
        var a = [Float](repeating: 1, count: 34), b = a
        (a[0], a[1], a[2]) = (8, 1, 1)
        (b[0], b[1], b[2]) = (1, 2, 1)
        let mean = smooth.meanPrediction([[a], [b]], 0)
        #expect(abs(mean[0] - (0.8 + 0.25) / 2) < 1e-6 && abs(mean[1] - (0.1 + 0.5) / 2) < 1e-6)
        #expect(abs(mean[3] - 0.5) < 1e-6, "disk-edge-on: α (1, 1) in both passes")
        #expect { try loop(overrides: ["task.confident_class=smooth"]) } throws: { e in
            "\(e)".contains("task.confident_class 'smooth' is not one of the head's answers: smooth-or-featured_smooth")
        }
    }

    @Test(arguments: ["journal-temp", "journal", "candidate"])
    func aKilledVoteImportResumesWithoutDoubleImport(point: String) throws {
        let l = try loop()
        _ = try l.advance(importing: nil)
        let ids = Array(try #require(try CSVTable.read(path: "\(out)/queue-0.csv").column("id_str")).prefix(2))
        let file = try votesFile("week.csv", try ids.map { ($0, try truth(l, $0).map(String.init)) })
        #expect(throws: VolunteerLoopCrash.self) { try loop(crashAt: point).advance(importing: file) }
        _ = try loop().advance(importing: file)
        _ = try loop().advance(importing: file)
        let entries = try LabelJournal(path: "\(out)/labels.jsonl").entries
        #expect(entries.map(\.id) == ids)
        #expect(try state().round == 1 && state().journalLines == 2 && state().decisions.count == 1)
    }

    @Test func badVoteImportsAreRefusedWholeNamingTheRow() throws {
        let l = try loop()
        _ = try l.advance(importing: nil)
        let pool = l.pool.map(l.source.dataset.id(at:))
        let (p, q) = (pool[0], pool[1])
        let good = try truth(l, p).map(String.init)
        var other = good
        other[0] = String(Int(good[0])! + 1)
        var negative = good
        negative[3] = "-2"
        var fraction = good
        fraction[5] = "1.5"
        var word = good
        word[33] = "many"
        let noRoot = good.enumerated().map { $0.offset < 3 ? "0" : $0.element }
        let header = (["id_str"] + Self.columns).joined(separator: ",")
        let cases: [(String, String)] = [
            (try votesFile("b0.csv", [(p, good), ("nope", good)]), "line 3: unknown galaxy id 'nope'"),
            (try votesFile("b1.csv", [(p, good), (q, good), (p, other)]), "line 4: galaxy '\(p)' has votes smooth-or-featured_smooth="),
            (try votesFile("b2.csv", [(p, good), (q, negative)]), "line 3: galaxy '\(q)': disk-edge-on_yes = '-2' is not a vote count"),
            (try votesFile("b3.csv", [(p, good), (q, fraction)]), "line 3: galaxy '\(q)': has-spiral-arms_yes = '1.5' is not a vote count"),
            (try votesFile("b4.csv", [(p, good), (q, word)]), "line 3: galaxy '\(q)': merging_merger = 'many' is not a vote count"),
            (try votesFile("b5.csv", [(p, good), (q, noRoot)]), "line 3: galaxy '\(q)' has no votes on the first question (smooth-or-featured)"),
            (try dir.write("b6.csv", text: header + "\n\(p),\"1\n"), "b6.csv:2: quoted field opened here is never closed"),
            (try dir.write("b7.csv", text: "id_str,smooth-or-featured_smooth\n\(p),3\n"), "missing smooth-or-featured_featured-or-disk"),
            (try dir.write("b8.csv", text: "id_str,label\n\(p),1\n"), "one vote count per answer of the tree"),
        ]
        for (n, (file, message)) in cases.enumerated() {
            #expect { try loop().advance(importing: file) } throws: { e in
                "\(e)".contains("label import refused, nothing imported") && "\(e)".contains(message)
            }
            #expect(!FileManager.default.fileExists(atPath: "\(out)/labels.jsonl"), "case \(n) wrote the journal")
            #expect(try state().round == 0)
        }
        // The good rows alone import; repeating the same counts is fine, different ones are refused.
        _ = try loop().advance(importing: try votesFile("ok.csv", [(p, good), (p, good)]))
        #expect(try LabelJournal(path: "\(out)/labels.jsonl").entries.count == 1)
        #expect { try loop().advance(importing: try votesFile("c.csv", [(p, other)])) } throws: { e in
            "\(e)".contains("line 2: galaxy '\(p)' has votes") && "\(e)".contains("but the journal already holds smooth-or-featured_smooth=")
        }
    }
}
