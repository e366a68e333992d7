/// A decision tree that cannot be used: names the file, the place in it and the question,
/// like a compiler diagnostic (`trees/gz2.yaml:14:5: error: question 'bar': …`).
public struct DecisionTreeError: Error, CustomStringConvertible, Equatable {
    /// The YAML file, or nil for a tree built in code.
    public var file: String?
    /// 1-based line and column in the file, when known.
    public var line: Int?
    public var column: Int?
    /// The question at fault, when there is one.
    public var question: String?
    /// What is wrong.
    public var message: String

    public init(file: String? = nil, line: Int? = nil, column: Int? = nil, question: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.question = question
        self.message = message
    }

    public var description: String {
        var place = file ?? "decision tree"
        if let line { place += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        let subject = question.map { "question '\($0)': " } ?? ""
        return "\(place): error: \(subject)\(message)"
    }
}
