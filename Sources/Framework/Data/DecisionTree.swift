/// A Galaxy Zoo decision tree: the questions volunteers answer, their answers, and which
/// answer leads to which question.
///
/// Vote columns are named `question_answer` (Zoobot's schema), in question order then answer
/// order, so a catalog row of counts and a model's output vector share one layout. Built-in
/// trees live in `Data/Trees/`; others load from YAML with `load(yamlPath:)`.
public struct DecisionTree: Codable, Equatable, Sendable {
    /// One question and the answer that leads to it.
    public struct Question: Codable, Equatable, Sendable {
        /// The question's name, e.g. `smooth-or-featured`.
        public var name: String
        /// The answers in column order, e.g. `["smooth", "featured-or-disk", "artifact"]`.
        public var answers: [String]
        /// The `question_answer` column after which this question is asked; nil for a root
        /// question, which every volunteer answers.
        public var askedAfter: String?

        public init(name: String, answers: [String], askedAfter: String? = nil) {
            self.name = name
            self.answers = answers
            self.askedAfter = askedAfter
        }

        /// The column names of this question's answers.
        public var columnNames: [String] { answers.map { "\(name)_\($0)" } }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, answers
            case askedAfter = "asked_after"
        }
    }

    /// The tree's name, e.g. `gz-decals`.
    public var name: String
    /// The questions in column order.
    public var questions: [Question]

    public init(name: String, questions: [Question]) {
        self.name = name
        self.questions = questions
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, questions
    }

    /// Every answer's column name, `question_answer`, question by question.
    public var columnNames: [String] { questions.flatMap(\.columnNames) }

    /// Number of answers over all questions (the length of a vote vector).
    public var answerCount: Int { questions.reduce(0) { $0 + $1.answers.count } }

    /// For each question, the range of its answers in the vote vector (what the
    /// Dirichlet-multinomial loss sums over).
    public var answerRanges: [Range<Int>] {
        var start = 0
        return questions.map { q in
            defer { start += q.answers.count }
            return start..<(start + q.answers.count)
        }
    }

    /// The index of a question by name.
    public func questionIndex(_ name: String) -> Int? { questions.firstIndex { $0.name == name } }

    /// For each question, the vote-vector index of the answer it is asked after (nil for
    /// roots, and for a parent that does not exist in an unvalidated tree).
    public var parentColumns: [Int?] {
        let columns = Dictionary(columnNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return questions.map { q in q.askedAfter.flatMap { columns[$0] } }
    }

    /// For each question, the index of the question it is asked after (nil for roots).
    public var parentQuestions: [Int?] {
        let ranges = answerRanges
        return parentColumns.map { column in column.flatMap { c in ranges.firstIndex { $0.contains(c) } } }
    }

    /// The chain of `question_answer` columns a volunteer must give to reach `question`,
    /// from the root down (empty for a root question, nil for an unknown question).
    public func dependencyChain(of question: String) -> [String]? {
        guard var q = questionIndex(question) else { return nil }
        let parents = parentQuestions, columns = parentColumns, names = columnNames
        var chain: [String] = []
        // A validated tree has no cycles; the step bound keeps an unvalidated one finite.
        for _ in 0..<questions.count {
            guard let column = columns[q], let p = parents[q] else { break }
            chain.append(names[column])
            q = p
        }
        return chain.reversed()
    }
}
