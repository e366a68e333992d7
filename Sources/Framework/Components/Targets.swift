import Foundation
import Synchronization

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
        self.init(rows: examples.map { ($0.labels, $0.votes) })
    }

    /// The targets of every example of a dataset, read without decoding images where the
    /// dataset allows it; with `votes: false` only the labels, which the simulator answers
    /// without rendering. Examples are read on every core (a simulator renders a scene per
    /// galaxy for its votes: minutes for 200,000 on one core); `progress` hears how many are
    /// done, from any thread, about every 1 % and at the end.
    public init(allOf dataset: any Dataset, votes withVotes: Bool = true,
                progress: (@Sendable (Int) -> Void)? = nil) throws {
        let n = dataset.count
        let chunk = max(64, n / 100)
        let chunks = (n + chunk - 1) / chunk
        let results = Mutex<(rows: [Int: [(labels: [String: Float], votes: [String: Float])]], done: Int, error: (any Error)?)>(([:], 0, nil))
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let range = (c * chunk)..<min(n, (c + 1) * chunk)
            var rows: [(labels: [String: Float], votes: [String: Float])] = []
            rows.reserveCapacity(range.count)
            do {
                for i in range {
                    if results.withLock({ $0.error != nil }) { return }
                    rows.append(withVotes ? try dataset.targets(at: i) : (try dataset.labels(at: i), [:]))
                }
            } catch {
                results.withLock { if $0.error == nil { $0.error = error } }
                return
            }
            let done = results.withLock { r -> Int in
                r.rows[c] = rows
                r.done += rows.count
                return r.done
            }
            progress?(done)
        }
        let collected = results.withLock { $0 }
        if let error = collected.error { throw error }
        self.init(rows: (0..<chunks).flatMap { collected.rows[$0]! })
    }

    /// Rows of (labels, votes) as columns; a key an example lacks is NaN there.
    private init(rows: [(labels: [String: Float], votes: [String: Float])]) {
        count = rows.count
        var labels: [String: [Float]] = [:], votes: [String: [Float]] = [:]
        for key in Set(rows.flatMap { $0.labels.keys }) { labels[key] = rows.map { $0.labels[key] ?? .nan } }
        for key in Set(rows.flatMap { $0.votes.keys }) { votes[key] = rows.map { $0.votes[key] ?? .nan } }
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
