/// A configuration error reported like a compiler error:
/// `experiments/x.yaml:2:9: error: 'epochs': expected Int, found 'three'`, followed by the
/// offending line and a caret under the column.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String
    /// The text of the offending line, when known.
    public var sourceLine: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String, sourceLine: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.sourceLine = sourceLine
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        var text = "\(location): error: \(message)"
        if let sourceLine, let column {
            text += "\n    \(sourceLine)\n    \(String(repeating: " ", count: max(0, column - 1)))^"
        }
        return text
    }
}
