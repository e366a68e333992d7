import Framework

/// A data source's dataset as the loop sees it: initially labelled galaxies keep their
/// label, pool galaxies carry the volunteers' label from the journal or none at all — so a
/// dataset that knows every truth (the simulator) cannot leak it into training.
struct JournalLabelledDataset: Dataset {
    let base: any Dataset
    let label: String
    /// Indices whose own label is kept (train and validation splits).
    let initial: Set<Int>
    /// Volunteer labels of pool galaxies by index.
    let imported: [Int: Float]

    var count: Int { base.count }
    func id(at index: Int) -> String { base.id(at: index) }

    func example(at index: Int) throws -> Example {
        var e = try base.example(at: index)
        e.labels = relabel(e.labels, index)
        return e
    }

    func targets(at index: Int) throws -> (labels: [String: Float], votes: [String: Float]) {
        let t = try base.targets(at: index)
        return (relabel(t.labels, index), t.votes)
    }

    private func relabel(_ labels: [String: Float], _ index: Int) -> [String: Float] {
        if initial.contains(index) { return labels }
        var out = labels
        out[label] = imported[index]
        return out
    }
}
