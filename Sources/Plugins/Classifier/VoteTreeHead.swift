import Foundation
import Framework

/// Galaxy Zoo vote-tree head (Zoobot's): one output per answer, Dirichlet concentrations
/// α = 1 + 100·sigmoid(x), and the Dirichlet-multinomial negative log-likelihood of the vote
/// counts summed over the tree's questions (a question nobody was asked contributes 0).
/// Predictions are expected vote fractions α_a / α_0 per question.
public final class VoteTreeHead: Module, VoteTreePredicting {
    let dropout: Dropout
    let linear: Linear
    public let tree: DecisionTree

    public init(inputWidth: Int, tree: DecisionTree, dropout p: Float, rng: inout RandomGenerator) {
        self.tree = tree
        dropout = Dropout(p, seed: rng.next())
        linear = Linear(inputWidth, tree.answerCount, rng: &rng)
        linear.weight.storage = linear.weight.storage.map { _ in 0.01 * rng.normal() }
        linear.bias!.storage = [Float](repeating: 0, count: tree.answerCount)
        super.init()
    }

    override public var keyNames: [String: String] { ["linear": "fc"] }

    public var outputNames: [String] { tree.columnNames }

    public func callAsFunction(_ representation: Tensor) throws -> Tensor {
        try linear(dropout(representation))
    }

    /// α = 1 + 100·sigmoid(x).
    public func concentrations(_ outputs: Tensor) -> Tensor { outputs.sigmoid() * 100 + 1 }

    public func loss(outputs: Tensor, targets: Targets) throws -> Tensor {
        let counts = try targets.voteTensor(columns: tree.columnNames)
        let perQuestion = try Loss.dirichletMultinomial(concentrations: concentrations(outputs), counts: counts,
                                                        questions: tree.answerRanges)
        return try perQuestion.sum(axes: [1])
    }

    public func predictions(outputs: Tensor) throws -> Tensor {
        let alpha = concentrations(outputs)
        var fractions = alpha.storage
        let k = tree.answerCount
        for i in 0..<alpha.shape[0] {
            for r in tree.answerRanges {
                let total = r.reduce(Float(0)) { $0 + fractions[i * k + $1] }
                for a in r { fractions[i * k + a] /= total }
            }
        }
        return try Tensor(shape: alpha.shape, storage: fractions)
    }

    public func metrics(predictions: [[Float]], targets: Targets) -> [String: Double] {
        guard let counts = try? targets.voteTensor(columns: tree.columnNames) else { return [:] }
        let table = VoteTreeEvaluation(tree: tree, predictions: predictions, counts: counts)
        var out: [String: Double] = ["mean_vote_fraction_mad": table.meanAbsoluteDeviation]
        for q in table.questions where q.confidentCount > 0 {
            out["\(q.name)_accuracy"] = q.accuracy
        }
        return out
    }

    public func hasTarget(_ targets: Targets, at index: Int) -> Bool {
        guard let root = tree.questions.first else { return false }
        return root.columnNames.contains { (targets.votes[$0]?[index] ?? 0) > 0 }
    }
}

/// The registry entry for `kind: vote-tree`.
public enum VoteTreeComponent: HeadComponent {
    public static let kind = "vote-tree"
    public static let summary = "Galaxy Zoo decision tree: Dirichlet-multinomial loss on vote counts, expected vote fractions (Zoobot)"

    public struct Options: ComponentOptions {
        /// `gz-decals` (DECaLS DR5 / DESI, 10 questions), `rings`, or a path to a tree YAML.
        public var tree = "gz-decals"
        public var dropout: Float = 0.2

        public init() {}

        public func validate() throws {
            guard (0..<1).contains(dropout) else { throw ConfigError(file: "head", message: "dropout must be in [0, 1)") }
        }
    }

    public static func make(options: Options, context: ComponentContext) throws -> any Head {
        let tree: DecisionTree
        switch options.tree {
        case "gz-decals": tree = .gzDecals
        case "rings": tree = .rings
        default:
            let path = options.tree.hasPrefix("/") ? options.tree : context.baseFolder + "/" + options.tree
            tree = try DecisionTree.load(yamlPath: path)
        }
        var rng = RandomGenerator(seed: context.seed, stream: 0x5654_5245)
        return VoteTreeHead(inputWidth: context.inputWidth, tree: tree, dropout: options.dropout, rng: &rng)
    }
}
