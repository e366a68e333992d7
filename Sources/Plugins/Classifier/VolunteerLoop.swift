import Foundation
import Framework

/// The Galaxy Zoo weekly loop over one folder (`state.json`, `labels.jsonl`, `models/`,
/// `predictions-<round>.csv`, `queue-<round>.csv`). Each `advance` goes as far as it can:
/// train the initial model if there is none, import a label file, retrain when the journal
/// holds labels the last training did not see (keeping the new model only if it validates as
/// well or better), then predict the pool and write the round's volunteer queue.
///
/// The head decides what volunteers answer: a linear-classifier head takes class labels; a
/// vote-tree head takes vote counts per answer, routes on expected vote fractions and stores
/// each MC-dropout pass's Dirichlet concentrations for vote-tree BALD.
///
/// Every step either finishes by an atomic rename or is redone on the next run, so a kill at
/// any point loses nothing and imports nothing twice.
public final class VolunteerLoop {
    public let experiment: Experiment
    public let options: VolunteerLoopComponent.Options
    public let folder: String
    public let source: DataSource
    /// Dataset indices of the galaxies without initial labels (neither train nor validation).
    public let pool: [Int]
    /// The classifier's label (nil for a vote-tree head).
    let label: String?
    /// The vote-tree head's tree (nil for a classifier).
    let tree: DecisionTree?
    /// The head's outputs: class names or `question_answer` columns.
    let classes: [String]
    /// Index into `classes` of the answer whose confident prediction spares a galaxy.
    let confident: Int
    /// The outputs that compete with it: every class, or the answers of its question.
    let confidentGroup: Range<Int>
    /// The validation metric deciding acceptance.
    public let metric: String
    let training: TrainingOptions
    let augmentation: AugmentationOptions?

    /// A step name at which to die (`ZOORUN_LOOP_CRASH_AT`), for tests of crash safety:
    /// initial-model, journal-temp, journal, candidate, state, predictions.
    public var crashPoint: String?
    /// Throw `VolunteerLoopCrash` at the crash point instead of SIGKILLing the process.
    public var crashByThrowing = false

    public static let crashVariable = "ZOORUN_LOOP_CRASH_AT"

    public init(experiment: Experiment, options: VolunteerLoopComponent.Options) throws {
        self.experiment = experiment
        self.options = options
        folder = experiment.runFolder
        let parts = try FinetuneTask(options: FinetuneComponent.Options()).build(experiment)
        source = parts.source
        let file = experiment.source.file
        if let head = parts.model.head as? any ClassLabelPredicting {
            (label, tree) = (head.label, nil)
        } else if let head = parts.model.head as? any VoteTreePredicting {
            (label, tree) = (nil, head.tree)
            let have = Set(parts.source.voteColumns)
            let missing = head.tree.columnNames.filter { !have.contains($0) }
            guard missing.isEmpty else {
                throw ConfigError(file: file, message: "the vote-tree head needs vote columns the data lacks: \(missing.prefix(5).joined(separator: ", "))")
            }
        } else {
            throw ConfigError(file: file,
                message: "the volunteer loop needs a linear-classifier head (class labels) or a vote-tree head (vote counts); got \(type(of: parts.model.head))")
        }
        classes = parts.model.head.outputNames
        training = parts.training
        augmentation = parts.augmentation
        let labelled = Set(source.train + source.val)
        pool = (0..<source.dataset.count).filter { !labelled.contains($0) }
        let outputs = parts.model.head.outputNames
        let voteTree = (parts.model.head as? any VoteTreePredicting)?.tree
        let defaultAnswer = voteTree == nil || !outputs.contains("smooth-or-featured_smooth") ? outputs[0] : "smooth-or-featured_smooth"
        guard let c = outputs.firstIndex(of: options.confidentClass ?? defaultAnswer) else {
            throw ConfigError(file: file,
                message: "task.confident_class '\(options.confidentClass ?? "")' is not one of the head's \(voteTree == nil ? "classes" : "answers"): \(outputs.joined(separator: ", "))")
        }
        confident = c
        confidentGroup = voteTree?.answerRanges.first { $0.contains(c) } ?? outputs.indices
        metric = options.metric ?? (voteTree == nil ? "accuracy" : "loss")
        guard !pool.isEmpty else {
            throw ConfigError(file: experiment.source.file, message: "the pool is empty: every galaxy is in the train or validation split")
        }
        crashPoint = ProcessInfo.processInfo.environment[Self.crashVariable]
    }

    var statePath: String { "\(folder)/state.json" }
    var journalPath: String { "\(folder)/labels.jsonl" }
    func predictionsPath(_ round: Int) -> String { "\(folder)/predictions-\(round).csv" }
    func queuePath(_ round: Int) -> String { "\(folder)/queue-\(round).csv" }

    /// What one invocation did, for stdout.
    public struct Report {
        public var lines: [String] = []
        public var files: [String] = []
        public var metrics: [String: Double] = [:]
        public var state: VolunteerLoopState?
    }

    /// Advances the loop; `importing` is a CSV returned by volunteers: `id_str,label`, or
    /// `id_str` and the tree's `question_answer` vote counts for a vote-tree head.
    public func advance(importing: String?) throws -> Report {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var report = Report()
        var journal = try LabelJournal(path: journalPath)
        var state: VolunteerLoopState
        if let s = try VolunteerLoopState.load(statePath) {
            state = s
            report.lines.append("round \(s.round): accepted model \(s.model), validation \(s.metric) \(format(s.value)), \(journal.entries.count) imported labels")
        } else {
            let trained = try train(round: 0, journal: journal)
            try crash("initial-model")
            state = VolunteerLoopState(round: 0, model: trained.path, metric: metric, value: trained.value,
                                       journalLines: journal.entries.count, decisions: [])
            try state.save(statePath)
            report.lines.append("round 0: initial model on \(trained.labels) labels, validation \(metric) \(format(trained.value))")
        }

        if let file = importing {
            let known = try LabelImport(path: file, kind: importKind, pool: Set(pool.map(source.dataset.id(at:))),
                                        initial: initialIds(), journal: answers(journal))
            let entries = known.new.map { id, answer in
                var e = LabelJournal.Entry(id: id, source: (file as NSString).lastPathComponent, round: state.round)
                switch answer {
                case .label(let v): e.label = v
                case .votes(let counts): e.votes = Dictionary(uniqueKeysWithValues: zip(classes, counts))
                }
                return e
            }
            try journal.append(entries) { try crash("journal-temp") }
            try crash("journal")
            var line = "imported \(entries.count) new \(tree == nil ? "labels" : "vote sets") from \(file)"
            if known.alreadyJournalled > 0 { line += " (\(known.alreadyJournalled) already in the journal, skipped)" }
            report.lines.append(line)
        }

        // Built before retraining, so a wrong `acquisition:` fails before minutes of training.
        let acquire = try acquisition()
        if journal.entries.count > state.journalLines {
            let candidate = try train(round: state.round + 1, journal: journal)
            try crash("candidate")
            let decision = decide(round: state.round + 1, labels: candidate.labels, candidate: candidate.value, previous: state.value)
            state.round += 1
            state.journalLines = journal.entries.count
            if decision.accepted {
                state.model = candidate.path
                state.value = candidate.value
            }
            state.decisions.append(decision)
            try state.save(statePath)
            try crash("state")
            report.lines.append("round \(state.round): \(decision.reason)")
        }

        let passes = try predictions(round: state.round, model: state.model)
        try crash("predictions")
        let queued = try writeQueue(round: state.round, passes: passes, acquisition: acquire, labelled: journal.ids)
        report.lines.append("round \(state.round): \(queued) galaxies for volunteers in \(queuePath(state.round))")
        report.files = ["state.json", "labels.jsonl", state.model,
                        (predictionsPath(state.round) as NSString).lastPathComponent,
                        (queuePath(state.round) as NSString).lastPathComponent]
        report.metrics = ["round": Double(state.round), "val_\(state.metric)": state.value, "queued": Double(queued),
                          "labels": Double(journal.entries.count)]
        report.state = state
        return report
    }

    /// Whether a candidate replaces the accepted model: as good or better on the fixed
    /// validation set (lower is better for a loss or a MAD), never when its metric is not a number.
    public func decide(round: Int, labels: Int, candidate: Double, previous: Double) -> VolunteerLoopState.Decision {
        let lowerIsBetter = metric.hasSuffix("loss") || metric.hasSuffix("mad")
        let ok = candidate.isFinite && (!previous.isFinite || (lowerIsBetter ? candidate <= previous : candidate >= previous))
        let comparison = "validation \(metric) \(format(candidate)) vs \(format(previous)) for the accepted model"
        let reason = ok
            ? "accepted the model retrained on \(labels) labels: \(comparison)"
            : "kept the previous model: the one retrained on \(labels) labels is worse (\(comparison); \(lowerIsBetter ? "lower" : "higher") is better)"
        return .init(round: round, labels: labels, candidate: candidate, previous: previous, accepted: ok, reason: reason)
    }

    /// What an import must contain for this head.
    var importKind: LabelImport.Kind { tree.map { .votes($0) } ?? .classes(classes) }

    /// The journal's answers in the form imports are compared in.
    func answers(_ journal: LabelJournal) -> [String: LabelImport.Answer] {
        var out: [String: LabelImport.Answer] = [:]
        for e in journal.entries where out[e.id] == nil {
            if let v = e.label { out[e.id] = .label(v) }
            if let v = e.votes { out[e.id] = .votes(classes.map { v[$0] ?? 0 }) }
        }
        return out
    }

    /// Galaxies labelled by the data source, with the split that labels them.
    func initialIds() -> [String: String] {
        var out: [String: String] = [:]
        for i in source.train { out[source.dataset.id(at: i)] = "train" }
        for i in source.val { out[source.dataset.id(at: i)] = "validation" }
        return out
    }

    func crash(_ point: String) throws {
        guard point == crashPoint else { return }
        if crashByThrowing { throw VolunteerLoopCrash(point: point) }
        kill(getpid(), SIGKILL)
    }

    func format(_ v: Double) -> String { String(format: "%.4f", v) }
}

/// The simulated crash thrown at `VolunteerLoop.crashPoint` in tests.
public struct VolunteerLoopCrash: Error, CustomStringConvertible {
    public var point: String
    public var description: String { "simulated crash at \(point)" }
}
