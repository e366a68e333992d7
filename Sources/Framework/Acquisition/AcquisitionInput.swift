/// What an acquisition function sees about the unlabelled pool (and what is already known).
public struct AcquisitionInput {
    /// Predictions of each MC-dropout pass: [pass][pool example][output]. Class
    /// probabilities for classifiers; Dirichlet concentrations α per answer for vote-tree
    /// models (see `tree`).
    public var passes: [[[Float]]]
    /// For vote-tree models: the decision tree the outputs follow.
    public var tree: DecisionTree?
    /// For vote-tree BALD: expected number of volunteers at the root (Galaxy Zoo: ~40).
    public var expectedVotes: Double
    /// For vote-tree models: the questions that matter to the caller (nil for all); an
    /// acquisition's own `questions` option overrides it.
    public var questions: [String]?
    /// Pooled representations of the pool examples, [pool example][dimension], for diversity
    /// and Gaussian-process methods.
    public var embeddings: [[Float]]?
    /// Representations of the examples already labelled, for core-set distances.
    public var labelledEmbeddings: [[Float]]?
    /// For interest search: (pool index, rating) of galaxies a user has already rated.
    public var ratings: [(index: Int, value: Double)]

    public init(passes: [[[Float]]], tree: DecisionTree? = nil, expectedVotes: Double = 40, questions: [String]? = nil,
                embeddings: [[Float]]? = nil, labelledEmbeddings: [[Float]]? = nil,
                ratings: [(index: Int, value: Double)] = []) {
        self.passes = passes
        self.tree = tree
        self.expectedVotes = expectedVotes
        self.questions = questions
        self.embeddings = embeddings
        self.labelledEmbeddings = labelledEmbeddings
        self.ratings = ratings
    }

    /// Number of pool examples.
    public var poolCount: Int { passes.first?.count ?? embeddings?.count ?? 0 }
}
