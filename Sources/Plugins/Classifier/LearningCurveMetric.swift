import Framework

/// The test-set numbers an acquisition comparison records per round, and which of them its
/// learning curves and label-saving figure use (with the direction that counts as better).
///
/// Classifier heads: test accuracy (higher is better), loss and ROC AUC. Vote-tree heads: the
/// mean absolute deviation between predicted and volunteer vote fractions over the answers of
/// the chosen questions (lower is better), and the Dirichlet-multinomial loss over the tree.
struct LearningCurveMetric {
    /// Columns of learning_curves.csv after `acquisition, seed, round, labels`; the first is
    /// the curve's metric.
    let columns: [String]
    let lowerIsBetter: Bool
    /// Vote-tree heads: the tree and the question indices the metric averages over.
    let tree: DecisionTree?
    let questions: [Int]

    /// The curve's metric, e.g. `test_accuracy`.
    var name: String { columns[0] }
    var direction: String { lowerIsBetter ? "lower is better" : "higher is better" }

    /// The metric for `head`; `questions` (vote trees only) restricts the vote-fraction MAD.
    init(head: any Head, questions names: [String]?, file: String) throws {
        guard let voteTree = head as? VoteTreeHead else {
            if names != nil {
                throw ConfigError(file: file, message: "task.questions applies to vote-tree heads only; this head is \(type(of: head))")
            }
            columns = ["test_accuracy", "test_loss", "test_roc_auc"]
            lowerIsBetter = false
            tree = nil
            questions = []
            return
        }
        let tree = voteTree.tree
        questions = try (names ?? tree.questions.map(\.name)).map { name in
            guard let q = tree.questionIndex(name) else {
                throw ConfigError(file: file,
                    message: "task.questions: unknown question '\(name)'; the tree has \(tree.questions.map(\.name).joined(separator: ", "))")
            }
            return q
        }
        self.tree = tree
        columns = ["test_vote_fraction_mad", "test_loss"]
        lowerIsBetter = true
    }

    /// The recorded values of one test evaluation, in `columns` order.
    func values(_ test: Evaluation) throws -> [Double] {
        guard let tree else {
            return [test.metrics["accuracy"] ?? .nan, test.loss, test.metrics["roc_auc"] ?? .nan]
        }
        let counts = try test.targets.voteTensor(columns: tree.columnNames)
        let table = VoteTreeEvaluation(tree: tree, predictions: test.mean, counts: counts)
        let chosen = Set(questions.flatMap { tree.questions[$0].columnNames })
        let mads = table.deviations.filter { chosen.contains($0.column) && $0.count > 0 }.map(\.mad)
        return [mads.isEmpty ? .nan : mads.reduce(0, +) / Double(mads.count), test.loss]
    }

    /// Whether `value` is at least as good as `target`.
    func reaches(_ value: Double, _ target: Double) -> Bool {
        lowerIsBetter ? value <= target : value >= target
    }
}
