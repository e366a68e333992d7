import Foundation
import Framework

/// The test-set numbers an acquisition comparison records per round, and which of them its
/// learning curves and label-saving figure use (with the direction that counts as better).
///
/// Classifier heads: test accuracy (higher is better), loss and ROC AUC. Vote-tree heads:
/// `test_vote_nll`, the negative log-likelihood of each test galaxy's volunteer votes on the
/// chosen questions under the MC-dropout predictive (the mean over passes of each pass's
/// Dirichlet-multinomial), in nats per galaxy, lower is better; then the mean absolute
/// deviation of expected from volunteer vote fractions over those questions' answers, and the
/// first pass's loss over the whole tree. The likelihood leads because a fraction from two
/// votes is mostly noise, which the MAD counts as error and the likelihood expects.
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
        guard let voteTree = head as? any VoteTreePredicting else {
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
        columns = ["test_vote_nll", "test_vote_fraction_mad", "test_loss"]
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
        return [try likelihood(test, counts: counts), mads.isEmpty ? .nan : mads.reduce(0, +) / Double(mads.count), test.loss]
    }

    /// Mean over galaxies of −Σ_q log((1/T) Σ_t DM(votes_q | α_t,q)) over the chosen questions.
    func likelihood(_ test: Evaluation, counts: Tensor) throws -> Double {
        guard let tree, let alphas = test.concentrations, let first = alphas.first, !first.isEmpty else {
            throw TensorError.invalidArgument(op: "vote likelihood", message: "needs the Dirichlet concentrations of every MC-dropout pass")
        }
        let k = tree.answerCount, ranges = tree.answerRanges
        var total = 0.0
        for i in first.indices {
            for q in questions {
                let votes = ranges[q].map { Int(counts.storage[i * k + $0]) }
                let logs = alphas.map { DirichletMultinomial.logProbability(counts: votes, alpha: $0[i][ranges[q]].map(Double.init)) }
                let top = logs.max()!
                total -= top + log(logs.reduce(0) { $0 + exp($1 - top) } / Double(logs.count))
            }
        }
        return total / Double(first.count)
    }

    /// Whether `value` is at least as good as `target`.
    func reaches(_ value: Double, _ target: Double) -> Bool {
        lowerIsBetter ? value <= target : value >= target
    }
}
