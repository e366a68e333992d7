import Framework

/// A data source's dataset as the loop sees it: initially labelled galaxies keep their
/// labels and votes, pool galaxies carry the volunteers' answer from the journal (a class
/// label or vote counts) or none at all — so a dataset that knows every truth (the
/// simulator) cannot leak it into training.
struct JournalLabelledDataset: Dataset {
    let base: any Dataset
    /// The classifier's label name; nil for vote-tree loops.
    let label: String?
    /// Indices whose own labels and votes are kept (train and validation splits).
    let initial: Set<Int>
    /// Volunteer class labels of pool galaxies by index.
    let imported: [Int: Float]
    /// Volunteer vote counts of pool galaxies by index, by `question_answer` column.
    var importedVotes: [Int: [String: Float]] = [:]

    var count: Int { base.count }
    func id(at index: Int) -> String { base.id(at: index) }

    /// Pool galaxies with a volunteer answer, in index order.
    var answered: [Int] { Set(imported.keys).union(importedVotes.keys).sorted() }

    func example(at index: Int) throws -> Example {
        var e = try base.example(at: index)
        (e.labels, e.votes) = relabel(e.labels, e.votes, index)
        return e
    }

    func targets(at index: Int) throws -> (labels: [String: Float], votes: [String: Float]) {
        let t = try base.targets(at: index)
        return relabel(t.labels, t.votes, index)
    }

    private func relabel(_ labels: [String: Float], _ votes: [String: Float], _ index: Int)
        -> (labels: [String: Float], votes: [String: Float]) {
        if initial.contains(index) { return (labels, votes) }
        var out = labels
        if let label { out[label] = imported[index] }
        return (out, importedVotes[index] ?? [:])
    }
}
