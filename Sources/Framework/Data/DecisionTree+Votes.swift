/// Vote arithmetic on a decision tree: fractions, how many volunteers reached a question, and
/// the fraction expected to reach it from answer probabilities.
///
/// Vote vectors are in `columnNames` order. Counts of a question nobody answered give
/// fractions of 0, never NaN.
extension DecisionTree {
    /// The vote vector of a catalog row given as `question_answer → count` (missing columns
    /// count 0).
    public func counts(from votes: [String: Float]) -> [Float] {
        columnNames.map { votes[$0] ?? 0 }
    }

    /// Each answer's share of its question's votes; a question with no votes gives 0s.
    public func voteFractions(counts: [Float]) -> [Float] {
        precondition(counts.count == answerCount, "voteFractions: \(counts.count) counts for \(answerCount) answers")
        var fractions = [Float](repeating: 0, count: counts.count)
        for range in answerRanges {
            let total = counts[range].reduce(0, +)
            guard total > 0 else { continue }
            for i in range { fractions[i] = counts[i] / total }
        }
        return fractions
    }

    /// For each question, the fraction of its root question's volunteers who reached it:
    /// the question's total votes over its root's total (0 when the root has no votes).
    public func fractionAsked(counts: [Float]) -> [Float] {
        precondition(counts.count == answerCount, "fractionAsked: \(counts.count) counts for \(answerCount) answers")
        let totals = answerRanges.map { counts[$0].reduce(0, +) }
        let roots = rootQuestions
        return questions.indices.map { q in
            let rootTotal = totals[roots[q]]
            return rootTotal > 0 ? totals[q] / rootTotal : 0
        }
    }

    /// For each question, the probability that a volunteer reaches it given per-answer
    /// probabilities (each question's answers summing to 1): the product of the probabilities
    /// of the answers on the path from its root.
    public func expectedFractionAsked(answerProbabilities p: [Float]) -> [Float] {
        precondition(p.count == answerCount, "expectedFractionAsked: \(p.count) probabilities for \(answerCount) answers")
        let parents = parentQuestions, columns = parentColumns
        var reach = [Float?](repeating: nil, count: questions.count)
        func value(_ q: Int, depth: Int) -> Float {
            if let r = reach[q] { return r }
            // The depth bound keeps an unvalidated, cyclic tree finite.
            guard let parent = parents[q], let column = columns[q], depth < questions.count else {
                reach[q] = 1
                return 1
            }
            let r = value(parent, depth: depth + 1) * p[column]
            reach[q] = r
            return r
        }
        return questions.indices.map { value($0, depth: 0) }
    }

    /// For each question, the root question at the top of its chain (itself for a root).
    public var rootQuestions: [Int] {
        let parents = parentQuestions
        return questions.indices.map { q in
            var current = q
            for _ in 0..<questions.count {
                guard let p = parents[current] else { break }
                current = p
            }
            return current
        }
    }
}
