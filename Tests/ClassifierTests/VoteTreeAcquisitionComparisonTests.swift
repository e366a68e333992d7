import TestSupport
import Foundation
import Testing
@testable import ClassifierPlugin
@testable import Framework

/// Records what the comparison hands an acquisition function, then scores like vote-tree BALD.
final class AcquisitionInputSpy: @unchecked Sendable {
    static let shared = AcquisitionInputSpy()
    private let lock = NSLock()
    private var seen: [AcquisitionInput] = []

    func record(_ input: AcquisitionInput) { lock.withLock { seen.append(input) } }
    func take() -> [AcquisitionInput] { lock.withLock { defer { seen = [] }; return seen } }
}

struct SpyBALD: Acquisition {
    func scores(_ input: AcquisitionInput) throws -> [Double] {
        AcquisitionInputSpy.shared.record(input)
        return try BALDAcquisition().scores(input)
    }
}

enum SpyBALDComponent: AcquisitionComponent {
    static let kind = "spy-bald"
    static let summary = "vote-tree BALD that records its input (tests)"
    struct Options: ComponentOptions { init() {} }
    static func make(options: Options, context: ComponentContext) throws -> any Acquisition { SpyBALD() }
}

@Suite("Acquisition comparison on simulated votes (vote-tree head)", .serialized)
struct VoteTreeAcquisitionComparisonTests {
    static func registry() -> Registry {
        let r = Registry.simulatedForTests()
        r.register(task: AcquisitionComparisonComponent.self, plugin: "Classifier")
        r.register(head: VoteTreeComponent.self, plugin: "Classifier")
        r.register(head: LinearClassifierComponent.self, plugin: "Classifier")
        r.register(acquisition: RandomAcquisitionComponent.self, plugin: "Framework")
        r.register(acquisition: BALDComponent.self, plugin: "Framework")
        r.register(acquisition: SpyBALDComponent.self, plugin: "Tests")
        return r
    }

    static let yaml = """
    name: tinyvotes
    seed: 4
    task:
      kind: acquisition-comparison
      acquisitions: [random, spy-bald]
      questions: [smooth-or-featured, bar]
      expected_votes: 12
      initial_labels: 6
      per_round: 5
      rounds: 1
      seeds: [0]
      mc_samples: 2
    data:
      kind: simulated-galaxies
      count: 40
      train: 0.6
      val: 0.15
      test: 0.25
      simulator: {image_size: 32}
    backbone: {kind: compact}
    head: {kind: vote-tree, dropout: 0.2}
    training: {epochs: 1, batch_size: 8, warmup_epochs: 0, patience: 0, workers: 1}
    """

    let dir: TemporaryFolder
    init() throws { dir = try TemporaryFolder("zoorun-votes-al") }

    func run(_ text: String = Self.yaml, overrides: [String] = []) throws -> RunSummary {
        let path = try dir.write("votes.yaml", text: text)
        let e = try Experiment.load(path: path, overrides: overrides, registry: Self.registry(), runFolder: dir.file("run"))
        let task: any ExperimentTask = try e.registry.make(.task, from: e.config.task, context: e.context())
        _ = try task.validate(e)
        return try task.run(e)
    }

    @Test func curvesRecordTheVoteLikelihoodAndBALDSeesConcentrations() throws {
        _ = AcquisitionInputSpy.shared.take()
        let summary = try run()
        let curves = try CSVTable.read(path: dir.file("run/learning_curves.csv"))
        #expect(curves.header == ["acquisition", "seed", "round", "labels", "test_vote_nll", "test_vote_fraction_mad", "test_loss"])
        #expect(curves.rows.map { "\($0[0]) \($0[2]) \($0[3])" } == ["random 0 6", "random 1 11", "spy-bald 0 6", "spy-bald 1 11"])
        for row in curves.rows {
            let nll = try #require(Double(row[4])), mad = try #require(Double(row[5])), loss = try #require(Double(row[6]))
            #expect(nll > 0 && nll < loss && mad > 0 && mad < 1 && loss.isFinite)
        }
        // The pool input: each pass's Dirichlet concentrations (α = 1 + 100·sigmoid ≥ 1, one per
        // answer of the tree), the tree, the task's questions and expected votes.
        let inputs = AcquisitionInputSpy.shared.take()
        let input = try #require(inputs.first)
        #expect(inputs.count == 1 && input.passes.count == 2 && input.poolCount == 24 - 6)
        #expect(input.tree == .gzDecals && input.questions == ["smooth-or-featured", "bar"] && input.expectedVotes == 12)
        #expect(input.passes.allSatisfy { $0.allSatisfy { $0.count == 34 && $0.allSatisfy { $0 >= 1 && $0 <= 101 } } })
        #expect(input.passes[0] != input.passes[1], "MC-dropout passes should differ")

        let savings = try CSVTable.read(path: dir.file("run/label_savings.csv"))
        #expect(savings.header == ["acquisition", "metric", "direction", "random_final_value", "labels_to_reach_it", "labels_saved"])
        #expect(savings.rows.allSatisfy { $0[1] == "test_vote_nll" && $0[2] == "lower is better" })
        #expect(summary.headline.contains("lower is better"))
        #expect(FileManager.default.fileExists(atPath: dir.file("run/plots/learning_curves.png")))

        // Rerunning a finished comparison only redraws the report: no curve is run again.
        let before = try String(contentsOfFile: dir.file("run/learning_curves.csv"), encoding: .utf8)
        _ = try run()
        #expect(AcquisitionInputSpy.shared.take().isEmpty)
        #expect(try String(contentsOfFile: dir.file("run/learning_curves.csv"), encoding: .utf8) == before)
    }

    @Test func classifierCurvesStillRecordAccuracy() throws {
        let classifier = Self.yaml.replacingOccurrences(of: "{kind: vote-tree, dropout: 0.2}", with: "{kind: linear-classifier, label: ring}")
            .replacingOccurrences(of: "  questions: [smooth-or-featured, bar]\n", with: "")
            .replacingOccurrences(of: "[random, spy-bald]", with: "[random, bald]")
        _ = try run(classifier)
        let curves = try CSVTable.read(path: dir.file("run/learning_curves.csv"))
        #expect(curves.header == ["acquisition", "seed", "round", "labels", "test_accuracy", "test_loss", "test_roc_auc"])
        #expect(curves.rows.count == 4 && curves.rows.allSatisfy { (0...1).contains(Double($0[4]) ?? -1) })
        let savings = try CSVTable.read(path: dir.file("run/label_savings.csv"))
        #expect(savings.rows.allSatisfy { $0[1] == "test_accuracy" && $0[2] == "higher is better" })
    }

    @Test func aCurvesFileOfAnotherMetricIsRefused() throws {
        try FileManager.default.createDirectory(atPath: dir.file("run"), withIntermediateDirectories: true)
        try CSVTable(header: ["acquisition", "seed", "round", "labels", "test_accuracy", "test_loss", "test_roc_auc"],
                     rows: [["random", "0", "0", "6", "0.5", "0.7", "0.5"]]).write(to: dir.file("run/learning_curves.csv"))
        #expect { try run() } throws: { "\($0)".contains("but this experiment records acquisition,seed,round,labels,test_vote_nll") }
    }

    @Test func questionsAreCheckedAgainstTheHead() throws {
        #expect { try run(overrides: ["task.questions=[smooth-or-featured,nope]"]) } throws: { e in
            "\(e)".contains("unknown question 'nope'") && "\(e)".contains("has-spiral-arms")
        }
        let classifier = Self.yaml.replacingOccurrences(of: "{kind: vote-tree, dropout: 0.2}", with: "{kind: linear-classifier, label: ring}")
        #expect { try run(classifier) } throws: { "\($0)".contains("task.questions applies to vote-tree heads only") }
        let ringsTree = Self.yaml.replacingOccurrences(of: "{kind: vote-tree, dropout: 0.2}", with: "{kind: vote-tree, tree: rings}")
            .replacingOccurrences(of: "questions: [smooth-or-featured, bar]", with: "questions: [ring]")
        #expect { try run(ringsTree) } throws: { "\($0)".contains("needs vote columns the data lacks") }
    }

    /// A toy tree: root (a, b) and a follow-up (x, y, z) asked after root_b.
    static let tree = DecisionTree(name: "toy", questions: [
        .init(name: "root", answers: ["a", "b"]),
        .init(name: "follow", answers: ["x", "y", "z"], askedAfter: "root_b"),
    ])

    static func metric(_ questions: [String]?) throws -> LearningCurveMetric {
        var rng = RandomGenerator(seed: 1)
        return try LearningCurveMetric(head: VoteTreeHead(inputWidth: 3, tree: tree, dropout: 0, rng: &rng),
                                       questions: questions, file: "t.yaml")
    }

    @Test func theLikelihoodAndMADCoverTheChosenQuestions() throws {
        // Votes root 3:1, follow 1:0:0 → fractions 0.75, 0.25 | 1, 0, 0; predicted 0.5, 0.5 | 0.2, 0.4, 0.4.
        let votes: [String: [Float]] = ["root_a": [3], "root_b": [1], "follow_x": [1], "follow_y": [0], "follow_z": [0]]
        // Pass 0: α = 1 everywhere, so every count vector of N votes has probability 1/C(N+K−1, K−1):
        // root 1/5, follow 1/3. Pass 1: root α = (3, 1), where P(3, 1) = C(4,3)·B(6,2)/B(3,1) = 4·(1/42)·3 = 2/7.
        let alphas: [[[Float]]] = [[[1, 1, 1, 1, 1]], [[3, 1, 1, 1, 1]]]
        let test = Evaluation(ids: ["g"], indices: [0], mean: [[0.5, 0.5, 0.2, 0.4, 0.4]], spread: [[0, 0, 0, 0, 0]],
                              passes: [], concentrations: alphas, targets: Targets(count: 1, votes: votes), loss: 1.5, metrics: [:])
        let rootNLL = -log((1.0 / 5 + 2.0 / 7) / 2)
        let root = try Self.metric(["root"]).values(test)
        #expect(abs(root[0] - rootNLL) < 1e-6 && abs(root[1] - 0.25) < 1e-6 && root[2] == 1.5)
        let all = try Self.metric(nil).values(test)
        #expect(abs(all[0] - (rootNLL + log(3))) < 1e-6)
        #expect(abs(all[1] - (0.25 + 0.25 + 0.8 + 0.4 + 0.4) / 5) < 1e-6)
        #expect(abs(try Self.metric(["follow"]).values(test)[1] - 1.6 / 3) < 1e-6)
        var noAlpha = test
        noAlpha.concentrations = nil
        #expect(throws: TensorError.self) { try Self.metric(nil).values(noAlpha) }
    }

    @Test func labelSavingsFollowTheMetricsDirection() throws {
        let path = try dir.write("votes.yaml", text: Self.yaml)
        let e = try Experiment.load(path: path, registry: Self.registry(), runFolder: dir.file("report"))
        // Random ends at a MAD of 0.10 with 120 labels; BALD gets there with 80.
        let rows = [("random", [0.20, 0.15, 0.10]), ("bald", [0.20, 0.10, 0.08])].flatMap { m, values in
            values.enumerated().map { [m, "0", "\($0.offset)", "\(40 * ($0.offset + 1))", "\($0.element)", "0.2", "1"] }
        }
        try FileManager.default.createDirectory(atPath: dir.file("report"), withIntermediateDirectories: true)
        _ = try AcquisitionComparisonReport(rows: rows, metric: Self.metric(nil), folder: dir.file("report"), experiment: e).write()
        let lower = try CSVTable.read(path: dir.file("report/label_savings.csv")).rows
        #expect(lower.map { Array($0[3...]) } == [["0.1000", "120", "0 %"], ["0.1000", "80", "33 %"]])
        // Read as higher-is-better, BALD would reach random's final value at its first point.
        var rng = RandomGenerator(seed: 1)
        let accuracy = try LearningCurveMetric(head: Self.classifier(width: 3, rng: &rng), questions: nil, file: "t.yaml")
        _ = try AcquisitionComparisonReport(rows: rows, metric: accuracy, folder: dir.file("report"), experiment: e).write()
        let higher = try CSVTable.read(path: dir.file("report/label_savings.csv")).rows
        #expect(higher.map { $0[2] } == ["higher is better", "higher is better"])
        #expect(higher[1][4] == "40")
    }

    static func classifier(width: Int, rng: inout RandomGenerator) -> LinearClassifierHead {
        LinearClassifierHead(inputWidth: width, label: "ring", classes: ["no", "yes"], dropout: 0.3, labelSmoothing: 0,
                             classWeights: nil, rng: &rng)
    }

    /// `count` small simulated galaxies with their votes, a compact backbone and a vote-tree head.
    static func voteTreeSetup(count: Int, dropout: Float, rng: inout RandomGenerator) throws -> (any Backbone, VoteTreeHead, DataLoader) {
        var simulator = SimulatorOptions()
        simulator.imageSize = 32
        let dataset = try SimulatedGalaxies(seed: 3, count: count, options: simulator)
        let backbone = try #require(BackboneFamily.builtIn.first { $0.kind == "compact" }).build(3, &rng)
        let head = VoteTreeHead(inputWidth: backbone.embeddingWidth, tree: .gzDecals, dropout: dropout, rng: &rng)
        let loader = try DataLoader(dataset: dataset, indices: Array(0..<count),
                                    options: DataLoaderOptions(batchSize: 4, shuffle: false, workers: 1),
                                    voteColumns: DecisionTree.gzDecals.columnNames)
        return (backbone, head, loader)
    }

    @Test func evaluationKeepsConcentrationsOnlyForVoteTrees() throws {
        var rng = RandomGenerator(seed: 2)
        let (backbone, head, loader) = try Self.voteTreeSetup(count: 6, dropout: 0.3, rng: &rng)
        let model = ClassifierModel(encoder: backbone, head: head)
        let r = try Evaluation.run(model: model, loader: loader, mcSamples: 3, seed: 5)
        let alphas = try #require(r.concentrations)
        #expect(alphas.count == 3 && alphas.allSatisfy { $0.count == 6 })
        #expect(r.acquisitionPasses == alphas)
        // Each pass's predictions are its concentrations normalised per question.
        for (t, pass) in alphas.enumerated() {
            for (i, a) in pass.enumerated() {
                for range in DecisionTree.gzDecals.answerRanges {
                    let total = range.reduce(Float(0)) { $0 + a[$1] }
                    for j in range { #expect(abs(a[j] / total - r.passes[t][i][j]) < 1e-5) }
                }
            }
        }
        let classifier = ClassifierModel(encoder: backbone, head: Self.classifier(width: backbone.embeddingWidth, rng: &rng))
        let c = try Evaluation.run(model: classifier, loader: loader, mcSamples: 2, seed: 5)
        #expect(c.concentrations == nil && c.acquisitionPasses == c.passes)
    }

    /// Evaluation asks for the vote-tree capability, not the concrete head: a user's head
    /// whose concentrations are twice Zoobot's gets its own concentrations back.
    @Test func aUsersVoteTreeHeadGetsItsOwnConcentrations() throws {
        var rng = RandomGenerator(seed: 2)
        let (backbone, zoobot, loader) = try Self.voteTreeSetup(count: 4, dropout: 0, rng: &rng)
        let theirs = try #require(try Evaluation.run(model: ClassifierModel(encoder: backbone, head: zoobot), loader: loader, mcSamples: 1).concentrations)
        let mine = try #require(try Evaluation.run(model: ClassifierModel(encoder: backbone, head: DoubledVoteHead(zoobot)), loader: loader, mcSamples: 1).concentrations)
        #expect(zip(mine[0].joined(), theirs[0].joined()).allSatisfy { abs($0 - 2 * $1) < 1e-4 })
    }
}

/// A user's vote-tree head: Zoobot's, with every concentration doubled.
final class DoubledVoteHead: Module, VoteTreePredicting {
    let inner: VoteTreeHead
    init(_ inner: VoteTreeHead) { self.inner = inner; super.init() }
    var tree: DecisionTree { inner.tree }
    var outputNames: [String] { inner.outputNames }
    func callAsFunction(_ x: Tensor) throws -> Tensor { try inner(x) }
    func concentrations(_ outputs: Tensor) -> Tensor { inner.concentrations(outputs) * 2 }
    func loss(outputs: Tensor, targets: Targets) throws -> Tensor { try inner.loss(outputs: outputs, targets: targets) }
    func predictions(outputs: Tensor) throws -> Tensor { try inner.predictions(outputs: outputs) }
    func metrics(predictions: [[Float]], targets: Targets) -> [String: Double] { inner.metrics(predictions: predictions, targets: targets) }
    func hasTarget(_ targets: Targets, at index: Int) -> Bool { inner.hasTarget(targets, at: index) }
}
