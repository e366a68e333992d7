/// A batch's targets in the column form heads consume.
extension Batch {
    /// Labels as collated; vote counts by column name from the [N, A] vote tensor, whose
    /// columns are `voteColumns` (the loader's).
    public func targets() -> Targets {
        var votesByColumn: [String: [Float]] = [:]
        if let votes, votes.rank == 2, votes.shape[1] == voteColumns.count {
            let a = voteColumns.count
            for (j, name) in voteColumns.enumerated() {
                votesByColumn[name] = (0..<count).map { votes.storage[$0 * a + j] }
            }
        }
        return Targets(count: count, labels: labels, votes: votesByColumn)
    }
}
