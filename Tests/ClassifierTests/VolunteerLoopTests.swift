import TestSupport
import ClassifierPlugin
import Foundation
import Testing
@testable import Framework

/// Entropy of the mean prediction: the tests' stand-in for the acquisition plugins.
struct TestEntropyAcquisition: Acquisition {
    func scores(_ input: AcquisitionInput) throws -> [Double] {
        (0..<input.poolCount).map { i in
            let k = input.passes[0][i].count
            return -(0..<k).map { j in
                let p = input.passes.map { Double($0[i][j]) }.reduce(0, +) / Double(input.passes.count)
                return p > 0 ? p * log(p) : 0
            }.reduce(0, +)
        }
    }
}

enum TestEntropyComponent: AcquisitionComponent {
    static let kind = "max-entropy"
    static let summary = "Entropy of the mean prediction (tests)"
    struct Options: ComponentOptions { init() {} }
    static func make(options: Options, context: ComponentContext) throws -> any Acquisition { TestEntropyAcquisition() }
}

@Suite("The weekly volunteer loop: queue, import, retrain, survive kills", .serialized)
struct VolunteerLoopTests {
    static func registry(acquisitions: Bool = true) -> Registry {
        let r = Registry.simulatedForTests()
        r.register(task: VolunteerLoopComponent.self, plugin: "Classifier")
        r.register(head: LinearClassifierComponent.self, plugin: "Classifier")
        if acquisitions { r.register(acquisition: TestEntropyComponent.self, plugin: "Tests") }
        return r
    }

    static let yaml = """
    name: tinyloop
    seed: 2
    task:
      kind: volunteer-loop
      mc_samples: 3
      confident_class: "no"
      threshold: 0.8
    data:
      kind: simulated-galaxies
      count: 60
      train: 0.4
      val: 0.3
      test: 0.3
      simulator: {image_size: 32}
    backbone: {kind: compact}
    head: {kind: linear-classifier, label: ring}
    training: {epochs: 1, batch_size: 8, warmup_epochs: 0, patience: 0, workers: 1}
    """

    let dir: TemporaryFolder
    let config: String
    init() throws {
        dir = try TemporaryFolder("zoorun-loop")
        config = try dir.write("loop.yaml", text: Self.yaml)
    }
    var out: String { dir.file("loop") }

    func loop(acquisitions: Bool = true, overrides: [String] = [], crashAt: String? = nil) throws -> VolunteerLoop {
        let e = try Experiment.load(path: config, overrides: overrides, registry: Self.registry(acquisitions: acquisitions), runFolder: out)
        let l = try VolunteerLoop(experiment: e, options: e.config.task.decodeOptions(VolunteerLoopComponent.Options.self))
        l.crashPoint = crashAt
        l.crashByThrowing = true
        return l
    }

    func state() throws -> VolunteerLoopState { try #require(try VolunteerLoopState.load("\(out)/state.json")) }
    func journal() throws -> [LabelJournal.Entry] { try LabelJournal(path: "\(out)/labels.jsonl").entries }

    /// A volunteers' file answering the first `n` queued galaxies with the simulator's truth.
    func answers(_ l: VolunteerLoop, round: Int = 0, n: Int = 4, name: String = "week.csv") throws -> (String, [String: Int]) {
        let queue = try CSVTable.read(path: "\(out)/queue-\(round).csv")
        var truth: [String: Int] = [:]
        for i in 0..<l.source.dataset.count { truth[l.source.dataset.id(at: i)] = Int(try l.source.dataset.targets(at: i).labels["ring"]!) }
        let ids = Array(try #require(queue.column("id_str")).prefix(n))
        #expect(ids.count == n, "the queue should hold at least \(n) galaxies")
        let path = try dir.write(name, text: "id_str,label\n" + ids.map { "\($0),\(truth[$0]!)\n" }.joined())
        return (path, Dictionary(uniqueKeysWithValues: ids.map { ($0, truth[$0]!) }))
    }

    @Test func firstRunQueuesUnconfidentPoolGalaxiesByScore() throws {
        let l = try loop()
        let report = try l.advance(importing: nil)
        #expect(try state().round == 0 && state().model == "models/round-0.safetensors")
        #expect(report.lines.first?.hasPrefix("round 0: initial model on 24 labels") == true)
        let predictions = try CSVTable.read(path: "\(out)/predictions-0.csv")
        #expect(predictions.header == ["id_str", "pass", "no", "yes"])
        #expect(predictions.rows.count == l.pool.count * 3)
        let queue = try CSVTable.read(path: "\(out)/queue-0.csv")
        #expect(queue.header == ["rank", "id_str", "p_no", "p_yes", "score"])
        let poolIds = Set(l.pool.map(l.source.dataset.id(at:)))
        let scores = queue.column("score")!.map { Double($0)! }
        #expect(scores == scores.sorted(by: >))
        for row in queue.rows { #expect(poolIds.contains(row[1]) && Double(row[2])! < 0.8) }

        // Stored predictions are reused: make every galaxy unconfident in the file, drop the queue.
        let tampered = CSVTable(header: predictions.header, rows: predictions.rows.map { [$0[0], $0[1], "0.300000", "0.700000"] })
        try tampered.write(to: "\(out)/predictions-0.csv")
        try FileManager.default.removeItem(atPath: "\(out)/queue-0.csv")
        _ = try loop().advance(importing: nil)
        #expect(try CSVTable.read(path: "\(out)/queue-0.csv").rows.count == l.pool.count)
    }

    @Test func importRetrainsAndRecordsTheDecision() throws {
        let l = try loop()
        _ = try l.advance(importing: nil)
        let (file, labels) = try answers(l)
        let report = try loop().advance(importing: file)
        let entries = try journal()
        #expect(Dictionary(uniqueKeysWithValues: entries.map { ($0.id, $0.label) }) == labels)
        #expect(entries.allSatisfy { $0.round == 0 && $0.source == "week.csv" })
        let s = try state()
        #expect(s.round == 1 && s.journalLines == 4 && s.decisions.count == 1)
        let d = s.decisions[0]
        #expect(d.labels == 28 && d.accepted == (d.candidate >= d.previous))
        #expect(s.model == (d.accepted ? "models/round-1.safetensors" : "models/round-0.safetensors"))
        #expect(report.lines.contains { $0.hasPrefix("round 1: \(d.accepted ? "accepted" : "kept the previous model")") })
        let queued = Set(try CSVTable.read(path: "\(out)/queue-1.csv").column("id_str")!)
        #expect(queued.isDisjoint(with: labels.keys))
        // The same file again imports nothing and does not retrain.
        let again = try loop().advance(importing: file)
        #expect(try journal().count == 4 && state().round == 1)
        #expect(again.lines.contains("imported 0 new labels from \(file) (4 already in the journal, skipped)"))
    }

    @Test func acceptanceKeepsTheOldModelWhenWorse() throws {
        let l = try loop()
        #expect(l.decide(round: 1, labels: 9, candidate: 0.7, previous: 0.7).accepted)
        #expect(l.decide(round: 1, labels: 9, candidate: 0.8, previous: 0.7).accepted)
        let worse = l.decide(round: 1, labels: 9, candidate: 0.6, previous: 0.7)
        #expect(!worse.accepted && worse.reason.contains("kept the previous model") && worse.reason.contains("0.6000 vs 0.7000"))
        #expect(!l.decide(round: 1, labels: 9, candidate: .nan, previous: 0.7).accepted)
        let lossLoop = try loop(overrides: ["task.metric=loss"])
        #expect(lossLoop.decide(round: 1, labels: 9, candidate: 0.3, previous: 0.4).accepted)
        #expect(!lossLoop.decide(round: 1, labels: 9, candidate: 0.5, previous: 0.4).accepted)
    }

    @Test func badImportsAreRefusedWholeNamingTheRow() throws {
        let l = try loop()
        _ = try l.advance(importing: nil)
        let (good, labels) = try answers(l, n: 2)
        _ = try loop().advance(importing: good)
        let (a, b) = (labels.keys.sorted()[0], labels.keys.sorted()[1])
        let poolIds = l.pool.map(l.source.dataset.id(at:)).filter { labels[$0] == nil }
        let (p, q) = (poolIds[0], poolIds[1])
        let trainId = l.source.dataset.id(at: l.source.train[0])
        let cases: [(String, String)] = [
            ("id_str,label\n\(p),1\nnope,0\n", "line 3: unknown galaxy id 'nope'"),
            ("id_str,label\n\(p),1\n\(q),0\n\(p),0\n", "line 4: galaxy '\(p)' has label no here but yes on line 2"),
            ("id_str,label\n\(p),0\n\(a),\(1 - labels[a]!)\n", "line 3: galaxy '\(a)' has label"),
            ("id_str,label\n\(p),0\n\(q),2\n", "line 3: galaxy '\(q)': label 2 is out of range"),
            ("id_str,label\n\(p),0\n\(q),maybe\n", "line 3: galaxy '\(q)': label 'maybe' is neither"),
            ("id_str,label\n\(p),0\n\(q),\n", "line 3: galaxy '\(q)' has an empty label"),
            ("id_str,label\n\(p),0\n\(q),\"1\n", "bad-6.csv:3: quoted field opened here is never closed"),
            ("id_str,answer\n\(p),0\n", "needs columns id_str and label"),
            ("id_str,label\n\(p),0\n\(trainId),1\n", "line 3: galaxy '\(trainId)' is already labelled in the train split"),
        ]
        let journalBefore = try String(contentsOfFile: "\(out)/labels.jsonl", encoding: .utf8)
        let stateBefore = try state()
        for (n, (text, message)) in cases.enumerated() {
            let file = try dir.write("bad-\(n).csv", text: text)
            #expect { try loop().advance(importing: file) } throws: { e in
                "\(e)".contains("label import refused, nothing imported") && "\(e)".contains(message)
            }
            #expect(try String(contentsOfFile: "\(out)/labels.jsonl", encoding: .utf8) == journalBefore, "case \(n) touched the journal")
            #expect(try state() == stateBefore)
        }
        // A duplicate with the same label, and a class name, are fine.
        let ok = try dir.write("ok.csv", text: "id_str,label\n\(p),yes\n\(p),1\n\(a),\(labels[a]!)\n")
        _ = try loop().advance(importing: ok)
        #expect(try journal().count == 3)
        #expect(try journal().filter { $0.id == p }.map(\.label) == [1])
    }

    static let crashPoints = ["journal-temp", "journal", "candidate", "state", "predictions"]

    @Test(arguments: crashPoints)
    func crashDuringAnImportThenRerunImportsEachLabelOnce(point: String) throws {
        _ = try loop().advance(importing: nil)
        let (file, labels) = try answers(try loop())
        #expect(throws: VolunteerLoopCrash.self) { try loop(crashAt: point).advance(importing: file) }
        #expect(try journal().count == (point == "journal-temp" ? 0 : 4))
        // Rerun the same command; then once more, as a user unsure whether it ran would.
        _ = try loop().advance(importing: file)
        _ = try loop().advance(importing: file)
        let entries = try journal()
        #expect(entries.count == 4 && Set(entries.map(\.id)) == Set(labels.keys))
        let s = try state()
        #expect(s.round == 1 && s.journalLines == 4 && s.decisions.count == 1)
        #expect(FileManager.default.fileExists(atPath: "\(out)/queue-1.csv"))
    }

    @Test func crashAfterTheJournalThenRerunWithoutTheFileStillRetrains() throws {
        _ = try loop().advance(importing: nil)
        let (file, _) = try answers(try loop())
        #expect(throws: VolunteerLoopCrash.self) { try loop(crashAt: "candidate").advance(importing: file) }
        _ = try loop().advance(importing: nil)
        #expect(try journal().count == 4 && state().round == 1 && state().journalLines == 4)
    }

    @Test func crashBeforeTheFirstStateRetrainsTheInitialModel() throws {
        #expect(throws: VolunteerLoopCrash.self) { try loop(crashAt: "initial-model").advance(importing: nil) }
        #expect(!FileManager.default.fileExists(atPath: "\(out)/state.json"))
        _ = try loop().advance(importing: nil)
        #expect(try state().round == 0)
    }

    /// A real kill: the zoorun binary SIGKILLs itself right after the journal rename.
    @Test func killedProcessResumesWithoutDoubleImport() throws {
        let binary = ZoorunBinary.path
        try #require(ZoorunBinary.isBuilt, "build zoorun first: \(binary)")
        // The first week in-process, in a folder claimed as `zoorun loop` claims it.
        try OutputFolder.claim(out, kind: .loop, existing: .resume).release()
        _ = try loop().advance(importing: nil)
        let (file, labels) = try answers(try loop())
        let child = Process()
        child.executableURL = URL(fileURLWithPath: binary)
        child.arguments = ["loop", config, "--out", out, "--import", file]
        child.environment = ProcessInfo.processInfo.environment.merging([VolunteerLoop.crashVariable: "journal"]) { _, b in b }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGKILL)
        #expect(try journal().count == 4 && state().round == 0)
        _ = try loop().advance(importing: file)
        let entries = try journal()
        #expect(entries.count == 4 && Set(entries.map(\.id)) == Set(labels.keys))
        #expect(try state().round == 1)
    }

    @Test func missingAcquisitionListsTheKnownKinds() throws {
        #expect { try loop(acquisitions: false).advance(importing: nil) } throws: { e in
            "\(e)".contains("neither bald nor max-entropy is registered; known acquisition kinds: none")
        }
        let wrong = try dir.write("wrong.yaml", text: Self.yaml + "\nacquisition: {kind: bald}\n")
        let e = try Experiment.load(path: wrong, registry: Self.registry(), runFolder: out)
        let l = try VolunteerLoop(experiment: e, options: e.config.task.decodeOptions(VolunteerLoopComponent.Options.self))
        #expect { try l.advance(importing: nil) } throws: { e in "\(e)".contains("unknown acquisition kind 'bald'; known: max-entropy") }
    }
}
