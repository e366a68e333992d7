import Foundation
import Framework

/// `task: {kind: acquisition-comparison}` — does choosing which galaxies to label beat
/// labelling at random? For each acquisition function and seed: start from `initial_labels`
/// random labels of the pool (the data source's train split; the oracle reveals labels),
/// train, evaluate on the fixed test split, acquire `per_round` more with MC-dropout
/// predictions, and repeat for `rounds` rounds (Walmsley et al. 2020, arXiv 1905.07424).
///
/// With a vote-tree head the oracle reveals the data's vote counts (the simulator's GZ DECaLS
/// volunteers), training minimises the Dirichlet-multinomial loss, acquisition sees each
/// pass's Dirichlet concentrations (vote-tree BALD) and the curve is the test vote-fraction
/// MAD over `questions` (lower is better); see `LearningCurveMetric`.
public struct AcquisitionComparison: ExperimentTask {
    public let options: AcquisitionComparisonComponent.Options

    public func validate(_ experiment: Experiment) throws -> [String] {
        let (source, context) = try experiment.makeDataSource()
        for kind in options.acquisitions { _ = try acquisition(kind, experiment) }
        let model = try buildModel(experiment, context: context)
        try source.checkLabels(for: model.head)
        let metric = try curveMetric(model, experiment)
        _ = try voteColumns(model, source: source, experiment)
        return [source.summary, "acquisitions: \(options.acquisitions.joined(separator: ", "))",
                "curve metric: \(metric.name) (\(metric.direction))",
                "\(options.initialLabels) initial labels + \(options.rounds) rounds × \(options.perRound), seeds \(options.seeds)"]
    }

    func acquisition(_ kind: String, _ experiment: Experiment) throws -> any Acquisition {
        let yaml = "kind: \(kind)\n"
        let node = ConfigNode(node: try ConfigDecoder.parse(yaml, file: "acquisitions"),
                              source: ConfigSource(file: "\(experiment.source.file): acquisitions", text: yaml))
        return try experiment.registry.make(.acquisition, from: node, context: experiment.context())
    }

    /// The curve's metric for this experiment's head.
    func curveMetric(_ model: ClassifierModel, _ experiment: Experiment) throws -> LearningCurveMetric {
        try LearningCurveMetric(head: model.head, questions: options.questions, file: experiment.source.file)
    }

    /// The vote columns loaders must collate: the tree's for a vote-tree head (the data must
    /// have them all), none for other heads.
    func voteColumns(_ model: ClassifierModel, source: DataSource, _ experiment: Experiment) throws -> [String]? {
        guard let head = model.head as? any VoteTreePredicting else { return nil }
        let have = Set(source.voteColumns)
        let missing = head.tree.columnNames.filter { !have.contains($0) }
        guard missing.isEmpty else {
            throw ConfigError(file: experiment.source.file,
                message: "the vote-tree head (tree \(head.tree.name)) needs vote columns the data lacks: \(missing.prefix(5).joined(separator: ", "))\(missing.count > 5 ? ", …" : "")")
        }
        return head.tree.columnNames
    }

    public func run(_ experiment: Experiment) throws -> RunSummary {
        let folder = experiment.runFolder
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let context = try experiment.makeDataSource().context
        let metric = try curveMetric(buildModel(experiment, context: context), experiment)
        let header = ["acquisition", "seed", "round", "labels"] + metric.columns
        var rows: [[String]] = []
        let curvesPath = "\(folder)/learning_curves.csv"
        // Resume: rows already computed are kept (one line per method, seed, round); a curve
        // with every round recorded is not run again.
        var done = Set<String>()
        if let table = try? CSVTable.read(path: curvesPath) {
            guard table.header == header else {
                throw ConfigError(file: curvesPath,
                    message: "has columns \(table.header.joined(separator: ",")) but this experiment records \(header.joined(separator: ",")); use another --out folder or delete the file")
            }
            rows = table.rows
            done = Set(rows.map { "\($0[0])|\($0[1])|\($0[2])" })
        }
        for seed in options.seeds {
            for kind in options.acquisitions where !(0...options.rounds).allSatisfy({ done.contains("\(kind)|\(seed)|\($0)") }) {
                let acquirer = try acquisition(kind, experiment)
                try runCurve(kind: kind, acquirer: acquirer, seed: seed, metric: metric, experiment: experiment, done: done) { row in
                    rows.append(row)
                    try CSVTable(header: header, rows: rows).write(to: curvesPath)
                }
            }
        }
        return try AcquisitionComparisonReport(rows: rows, metric: metric, folder: folder, experiment: experiment).write()
    }

    /// One learning curve; `emit` receives each round's row as soon as it exists.
    func runCurve(kind: String, acquirer: any Acquisition, seed: UInt64, metric: LearningCurveMetric, experiment: Experiment,
                  done: Set<String>, emit: ([String]) throws -> Void) throws {
        let (source, context) = try experiment.makeDataSource(seed: seed)
        let normalization = try source.normalizationStatistics()
        var rng = RandomGenerator(seed: seed, stream: 0x4143_5155)
        var pool = source.train
        rng.shuffle(&pool)
        var labelled = Array(pool.prefix(options.initialLabels))
        var unlabelled = Array(pool.dropFirst(options.initialLabels))
        var model: ClassifierModel? = nil
        for round in 0...options.rounds {
            let fresh = model == nil || options.retrain == .pretrained
            if fresh { model = try buildModel(experiment, context: context, normalization: normalization) }
            let m = model!
            let votes = try voteColumns(m, source: source, experiment)
            try train(m, source: source, indices: labelled, votes: votes, seed: seed &+ UInt64(round), experiment: experiment)
            let key = "\(kind)|\(seed)|\(round)"
            let testLoader = try DataLoader(dataset: source.dataset, indices: source.test,
                                            options: DataLoaderOptions(batchSize: 64, shuffle: false, seed: seed, workers: 2),
                                            voteColumns: votes)
            let test = try Evaluation.run(model: m, loader: testLoader, mcSamples: options.mcSamples, seed: seed)
            let values = try metric.values(test)
            if !done.contains(key) {
                try emit([kind, "\(seed)", "\(round)", "\(labelled.count)"] + values.map { "\($0)" })
            }
            FileHandle.standardError.write(Data("zoorun: \(kind) seed \(seed) round \(round): \(labelled.count) labels, \(metric.name) \(String(format: "%.4f", values[0]))\n".utf8))
            guard round < options.rounds, !unlabelled.isEmpty else { break }
            // MC-dropout predictions of the unlabelled pool (class probabilities, or each pass's
            // Dirichlet concentrations for a vote tree), and representations for diversity methods.
            let poolLoader = try DataLoader(dataset: source.dataset, indices: unlabelled,
                                            options: DataLoaderOptions(batchSize: 64, shuffle: false, seed: seed, workers: 2),
                                            voteColumns: votes)
            let predicted = try Evaluation.run(model: m, loader: poolLoader, mcSamples: options.mcSamples, seed: seed &+ 77)
            var input = AcquisitionInput(passes: predicted.acquisitionPasses, tree: metric.tree,
                                         expectedVotes: options.expectedVotes, questions: options.questions)
            if options.embeddings {
                input.embeddings = try DatasetEmbedding(m, dataset: source.dataset, indices: unlabelled).rows
                input.labelledEmbeddings = try DatasetEmbedding(m, dataset: source.dataset, indices: labelled).rows
            }
            var pick = RandomGenerator(seed: seed, stream: UInt64(round) &+ 0x5049_434B)
            let chosen = try acquirer.select(k: min(options.perRound, unlabelled.count), from: input, rng: &pick)
            let chosenSet = Set(chosen)
            labelled += chosen.map { unlabelled[$0] }
            unlabelled = unlabelled.enumerated().filter { !chosenSet.contains($0.offset) }.map(\.element)
        }
    }

    /// - Parameter normalization: the input standardisation (`data.normalize`), from the pool.
    func buildModel(_ experiment: Experiment, context: ComponentContext,
                    normalization: ChannelStatistics? = nil) throws -> ClassifierModel {
        var context = context
        guard let headNode = experiment.config.head else {
            throw ConfigError(file: experiment.source.file, message: "an acquisition comparison needs a `head:` section (e.g. kind: linear-classifier)")
        }
        let backbone = try experiment.makeBackbone(context: &context, for: "an acquisition comparison")
        let head: any Head = try experiment.registry.make(.head, from: headNode, context: context)
        return ClassifierModel(encoder: backbone, head: head, inputNorm: try normalization.map(InputNormalization.init))
    }

    /// Trains on `indices` with every one of the experiment's `training:` options (validation
    /// on the data source's val split, early stopping, best weights restored), in memory.
    @discardableResult
    func train(_ model: ClassifierModel, source: DataSource, indices: [Int], votes: [String]?, seed: UInt64,
               experiment: Experiment) throws -> SupervisedRun.Result {
        let training = try experiment.config.training?.decodeOptions(TrainingOptions.self, ignoring: []) ?? TrainingOptions()
        let augmentation = try experiment.config.augmentation?.decode(AugmentationOptions.self)
        var run = SupervisedRun(training: training, seed: seed, folder: nil)
        run.cancellation = experiment.cancellation
        run.callbacks = experiment.extraCallbacks
        run.showProgress = false
        // The published curves (docs/results.md) were made with this dropout stream.
        run.dropoutSeed = { seed, epoch in seed &+ UInt64(epoch) }
        return try run.fit(model, dataset: source.dataset, train: indices, val: source.val,
                           augmentation: augmentation, voteColumns: votes)
    }
}

/// The registry entry for `task: {kind: acquisition-comparison}`.
public enum AcquisitionComparisonComponent: TaskComponent {
    public static let kind = "acquisition-comparison"
    public static let summary = "Learning curves of acquisition functions (BALD, entropy, …) against random, over seeds; classifier or vote-tree heads"

    public enum Retrain: String, ConfigEnum, Codable, Sendable {
        /// Continue from the previous round's model.
        case warm
        /// Start each round again from the backbone's (pretrained) weights.
        case pretrained
    }

    public struct Options: ComponentOptions {
        /// Acquisition kinds to compare (see `zoorun list acquisition`); include `random`.
        public var acquisitions = ["random", "bald"]
        public var initialLabels = 50
        public var perRound = 25
        public var rounds = 6
        public var seeds: [UInt64] = [0, 1, 2]
        public var mcSamples = 5
        public var retrain = Retrain.pretrained
        /// Also compute pool and labelled representations (needed by core-set).
        public var embeddings = false
        /// Vote-tree heads: the questions that vote-tree BALD sums over and the test
        /// vote-fraction MAD averages over (nil: the whole tree). Training uses every question.
        public var questions: [String]?
        /// Vote-tree heads: volunteers expected at the root, N of vote-tree BALD's
        /// Dirichlet-multinomial (× the predicted fraction asked each question).
        public var expectedVotes = 40.0

        public init() {}

        enum CodingKeys: String, CodingKey {
            case acquisitions, rounds, seeds, retrain, embeddings, questions
            case initialLabels = "initial_labels", perRound = "per_round", mcSamples = "mc_samples"
            case expectedVotes = "expected_votes"
        }

        public func validate() throws {
            if acquisitions.isEmpty { throw ConfigError(file: "task", message: "acquisitions: list at least one kind") }
            if initialLabels < 2 || perRound < 1 || rounds < 1 { throw ConfigError(file: "task", message: "initial_labels ≥ 2, per_round ≥ 1 and rounds ≥ 1") }
            if let q = questions, q.isEmpty { throw ConfigError(file: "task", message: "questions: name at least one question (or leave it out for the whole tree)") }
            if !(expectedVotes > 0 && expectedVotes.isFinite) { throw ConfigError(file: "task", message: "expected_votes must be > 0") }
            if mcSamples < 2 { throw ConfigError(file: "task", message: "mc_samples must be ≥ 2 for acquisition (BALD needs several passes)") }
        }
    }

    public static func make(options: Options, context: ComponentContext) throws -> any ExperimentTask {
        AcquisitionComparison(options: options)
    }
}
