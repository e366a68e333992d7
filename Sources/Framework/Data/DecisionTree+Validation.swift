/// Checks that make a tree safe to train on: every vote column is unique and every question
/// can be reached from a root along a finite path.
extension DecisionTree {
    /// One problem found by `problems()`: the question's index (nil for the whole tree) and
    /// what is wrong.
    struct Problem {
        var question: Int?
        var message: String
    }

    /// Throws a `DecisionTreeError` naming the first problem: no questions, a question with
    /// fewer than two answers, repeated question, answer or column names, an `askedAfter`
    /// that is not an answer of the tree, or a cycle.
    public func validate() throws {
        if let problem = firstProblem() {
            throw DecisionTreeError(question: problem.question.map { questions[$0].name }, message: problem.message)
        }
    }

    func firstProblem() -> Problem? {
        if questions.isEmpty { return Problem(message: "the tree has no questions") }
        var seenQuestions = Set<String>()
        var seenColumns: [String: String] = [:]
        for (i, q) in questions.enumerated() {
            if q.name.isEmpty { return Problem(question: i, message: "question \(i + 1) has an empty name") }
            if !seenQuestions.insert(q.name).inserted {
                return Problem(question: i, message: "the name is used by another question")
            }
            if q.answers.count < 2 {
                return Problem(question: i, message: "needs at least two answers, has \(q.answers.count)")
            }
            var seenAnswers = Set<String>()
            for a in q.answers {
                if a.isEmpty { return Problem(question: i, message: "has an empty answer") }
                if !seenAnswers.insert(a).inserted { return Problem(question: i, message: "answer '\(a)' appears twice") }
            }
            for column in q.columnNames {
                if let other = seenColumns[column] {
                    return Problem(question: i, message: "column '\(column)' is also a column of question '\(other)'")
                }
                seenColumns[column] = q.name
            }
        }
        let columns = parentColumns
        for (i, q) in questions.enumerated() {
            guard let after = q.askedAfter else { continue }
            if columns[i] == nil {
                return Problem(question: i, message: "asked_after '\(after)' is not a question_answer column of this tree")
            }
        }
        let parents = parentQuestions
        for start in questions.indices {
            var path = [start]
            var current = start
            while let p = parents[current] {
                if let loop = path.firstIndex(of: p) {
                    let names = (path[loop...] + [p]).map { questions[$0].name }
                    return Problem(question: start, message: "asked_after forms a cycle: \(names.joined(separator: " → "))")
                }
                path.append(p)
                current = p
            }
        }
        return nil
    }
}
