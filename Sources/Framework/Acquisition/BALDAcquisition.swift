import Foundation

/// BALD: the mutual information between the prediction and the model's weights, estimated
/// from MC-dropout passes as the entropy of the mean predictive minus the mean entropy of
/// each pass. High where passes disagree, not where every pass is merely unsure.
///
/// Classifiers: passes are class probabilities. Vote-tree models (`input.tree` set): passes
/// are Dirichlet concentrations per answer in the tree's column order; each question's
/// prediction is the Dirichlet-multinomial over its vote counts with N = expected votes ×
/// P(question asked) (from the mean predicted vote fractions), and the per-question mutual
/// informations of the chosen questions are summed (Walmsley et al. 2020).
public struct BALDAcquisition: Acquisition {
    /// Vote trees: the questions to sum over; nil for the input's `questions` (all when that is nil too).
    public var questions: [String]?
    /// Vote trees: enumerate count vectors when there are at most this many, else sample.
    public var maxEnumerated: Int
    /// Vote trees: Monte Carlo count vectors per pass when not enumerating.
    public var samples: Int
    public var seed: UInt64

    public init(questions: [String]? = nil, maxEnumerated: Int = 1000, samples: Int = 100, seed: UInt64 = 0) {
        self.questions = questions
        self.maxEnumerated = maxEnumerated
        self.samples = samples
        self.seed = seed
    }

    public func scores(_ input: AcquisitionInput) throws -> [Double] {
        try PredictiveStatistics.checkPasses(input, method: "bald")
        if let tree = input.tree { return try treeScores(input, tree: tree) }
        let passes = input.passes
        let t = Double(passes.count)
        return (0..<input.poolCount).map { i in
            let meanEntropy = passes.reduce(0) { $0 + PredictiveStatistics.entropy($1[i]) } / t
            return max(0, PredictiveStatistics.entropy(PredictiveStatistics.mean(passes, example: i)) - meanEntropy)
        }
    }

    func treeScores(_ input: AcquisitionInput, tree: DecisionTree) throws -> [Double] {
        let passes = input.passes
        guard passes[0].first.map({ $0.count == tree.answerCount }) ?? true else {
            throw TensorError.invalidArgument(op: "bald",
                message: "\(passes[0][0].count) outputs per example for a tree of \(tree.answerCount) answers")
        }
        for (t, pass) in passes.enumerated() {
            for (i, row) in pass.enumerated() where !row.allSatisfy({ $0.isFinite && $0 > 0 }) {
                throw TensorError.invalidArgument(op: "bald", message: "pass \(t), example \(i): Dirichlet concentrations must be finite and > 0")
            }
        }
        guard input.expectedVotes.isFinite, input.expectedVotes >= 0 else {
            throw TensorError.invalidArgument(op: "bald", message: "expected votes \(input.expectedVotes) must be finite and ≥ 0")
        }
        let chosen: [Int] = try (questions ?? input.questions).map { names in
            try names.map { name in
                guard let q = tree.questionIndex(name) else {
                    throw TensorError.invalidArgument(op: "bald",
                        message: "questions: unknown question '\(name)'; the tree has \(tree.questions.map(\.name).joined(separator: ", "))")
                }
                return q
            }
        } ?? Array(tree.questions.indices)
        let ranges = tree.answerRanges
        let count = input.poolCount
        var out = [Double](repeating: 0, count: count)
        let (maxEnumerated, samples, seed, votes) = (maxEnumerated, samples, seed, input.expectedVotes)
        out.withUnsafeMutableBufferPointer { o in
            let o = o
            Parallel.chunks(count) { start, end in
                for i in start..<end {
                    // Mean predicted vote fractions: each pass's α normalised per question.
                    var fractions = [Float](repeating: 0, count: tree.answerCount)
                    for pass in passes {
                        for r in ranges {
                            let a = pass[i][r].reduce(0, +)
                            for j in r { fractions[j] += pass[i][j] / a / Float(passes.count) }
                        }
                    }
                    let asked = tree.expectedFractionAsked(answerProbabilities: fractions)
                    var total = 0.0
                    for q in chosen {
                        let n = Int((votes * Double(asked[q])).rounded())
                        guard n > 0 else { continue }
                        var rng = RandomGenerator(seed: seed, stream: UInt64(i) &* 1024 &+ UInt64(q))
                        let alphas = passes.map { $0[i][ranges[q]].map(Double.init) }
                        total += DirichletMultinomial.mutualInformation(alphas: alphas, total: n, maxEnumerated: maxEnumerated,
                                                                        samples: samples, rng: &rng)
                    }
                    o[i] = total
                }
            }
        }
        return out
    }
}

/// The registry entry for `acquisition: {kind: bald}`.
public enum BALDComponent: AcquisitionComponent {
    public static let kind = "bald"
    public static let summary = "BALD mutual information over MC-dropout passes; classifiers and vote trees (Dirichlet-multinomial, N = expected votes × P(asked))"

    public struct Options: ComponentOptions {
        /// Vote trees: questions to sum over (default all).
        public var questions: [String]?
        /// Vote trees: enumerate count vectors up to this many per question, else Monte Carlo.
        public var maxEnumerated = 1000
        /// Vote trees: Monte Carlo count vectors per pass.
        public var samples = 100

        public init() {}

        enum CodingKeys: String, CodingKey {
            case questions, samples
            case maxEnumerated = "max_enumerated"
        }

        public func validate() throws {
            if maxEnumerated < 1 { throw ConfigError(file: "acquisition", message: "max_enumerated must be ≥ 1") }
            if samples < 1 { throw ConfigError(file: "acquisition", message: "samples must be ≥ 1") }
            if let q = questions, q.isEmpty { throw ConfigError(file: "acquisition", message: "questions: name at least one question (or leave it out for all)") }
        }
    }

    public static func make(options: Options, context: ComponentContext) throws -> any Acquisition {
        BALDAcquisition(questions: options.questions, maxEnumerated: options.maxEnumerated, samples: options.samples,
                        seed: context.seed)
    }
}
