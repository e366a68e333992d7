/// A crowd walking the decision tree.
extension VolunteerModel {
    /// Vote counts (in `tree.columnNames` order) from `volunteers` people: each answers every
    /// root question by its probabilities, then every question asked after an answer they
    /// gave, so deeper questions get fewer votes.
    public static func votes(tree: DecisionTree, probabilities: [Float], volunteers: Int,
                             rng: inout RandomGenerator) -> [Float] {
        precondition(probabilities.count == tree.answerCount, "votes: \(probabilities.count) probabilities for \(tree.answerCount) answers")
        let ranges = tree.answerRanges
        let parents = tree.parentQuestions, parentColumns = tree.parentColumns
        let order = askingOrder(parents)
        var counts = [Float](repeating: 0, count: tree.answerCount)
        var chosen = [Int](repeating: -1, count: tree.questions.count)   // global column of each answer
        for _ in 0..<volunteers {
            for q in order {
                chosen[q] = -1
                if let p = parents[q], let column = parentColumns[q], chosen[p] != column { continue }
                let range = ranges[q]
                var u = rng.uniform() * probabilities[range].reduce(0, +)
                var pick = range.upperBound - 1
                for a in range {
                    if u < probabilities[a] { pick = a; break }
                    u -= probabilities[a]
                }
                chosen[q] = pick
                counts[pick] += 1
            }
        }
        return counts
    }

    /// Questions ordered so that each comes after the question it is asked after.
    static func askingOrder(_ parents: [Int?]) -> [Int] {
        var order: [Int] = [], placed = Set<Int>()
        func place(_ q: Int, depth: Int) {
            guard !placed.contains(q), depth <= parents.count else { return }
            if let p = parents[q] { place(p, depth: depth + 1) }
            placed.insert(q)
            order.append(q)
        }
        for q in parents.indices { place(q, depth: 0) }
        return order
    }
}
