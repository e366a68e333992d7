/// The targets of a set of examples, column by column: what heads compute losses and
/// metrics against.
public struct Targets: Sendable {
    /// Scalar labels by name, one value per example (NaN where an example has none).
    public var labels: [String: [Float]]
    /// Vote counts by `question_answer` column, one value per example.
    public var votes: [String: [Float]]
    public var count: Int

    public init(count: Int, labels: [String: [Float]] = [:], votes: [String: [Float]] = [:]) {
        self.count = count
        self.labels = labels
        self.votes = votes
    }

    /// Collects the targets of examples.
    public init(_ examples: [Example]) {
        count = examples.count
        var labels: [String: [Float]] = [:], votes: [String: [Float]] = [:]
        for key in Set(examples.flatMap { $0.labels.keys }) { labels[key] = examples.map { $0.labels[key] ?? .nan } }
        for key in Set(examples.flatMap { $0.votes.keys }) { votes[key] = examples.map { $0.votes[key] ?? .nan } }
        self.labels = labels
        self.votes = votes
    }

    /// The targets of every example of a dataset, read without decoding images where the
    /// dataset allows it; with `votes: false` only the labels, which the simulator answers
    /// without rendering.
    public init(allOf dataset: any Dataset, votes withVotes: Bool = true) throws {
        var examples: [(labels: [String: Float], votes: [String: Float])] = []
        examples.reserveCapacity(dataset.count)
        for i in 0..<dataset.count {
            examples.append(withVotes ? try dataset.targets(at: i) : (try dataset.labels(at: i), [:]))
        }
        count = examples.count
        var labels: [String: [Float]] = [:], votes: [String: [Float]] = [:]
        for key in Set(examples.flatMap { $0.labels.keys }) { labels[key] = examples.map { $0.labels[key] ?? .nan } }
        for key in Set(examples.flatMap { $0.votes.keys }) { votes[key] = examples.map { $0.votes[key] ?? .nan } }
        self.labels = labels
        self.votes = votes
    }

    /// The targets of a subset, in the given order.
    public func subset(_ indices: [Int]) -> Targets {
        Targets(count: indices.count, labels: labels.mapValues { col in indices.map { col[$0] } },
                votes: votes.mapValues { col in indices.map { col[$0] } })
    }

    /// The vote counts of `columns` as a [N, columns] tensor (missing columns are an error
    /// naming the column).
    public func voteTensor(columns: [String]) throws -> Tensor {
        var data = [Float](repeating: 0, count: count * columns.count)
        for (j, c) in columns.enumerated() {
            guard let col = votes[c] else {
                throw TensorError.invalidArgument(op: "targets", message: "the data has no vote column '\(c)'; it has \(votes.keys.sorted().prefix(8).joined(separator: ", "))")
            }
            for i in 0..<count { data[i * columns.count + j] = col[i].isNaN ? 0 : col[i] }
        }
        return try Tensor(shape: [count, columns.count], storage: data)
    }
}
