/// A CSV file that does not follow RFC 4180 (or our header rules), naming the file and the
/// 1-based line of the file where the problem starts.
public enum CSVError: Error, CustomStringConvertible, Equatable {
    /// The file has no header row.
    case empty(path: String)
    /// The file is not UTF-8.
    case notUTF8(path: String)
    /// A record has a different number of fields from the header.
    case fieldCount(path: String, line: Int, expected: Int, found: Int)
    /// A quoted field is still open at the end of the file.
    case unterminatedQuote(path: String, line: Int)
    /// A quote inside an unquoted field, or text after a closing quote.
    case strayQuote(path: String, line: Int, detail: String)
    /// Two header columns have the same name, so lookup by name would be ambiguous.
    case duplicateColumn(path: String, name: String)

    public var description: String {
        switch self {
        case let .empty(path):
            return "\(path): empty CSV file (expected a header row)"
        case let .notUTF8(path):
            return "\(path): not valid UTF-8 text"
        case let .fieldCount(path, line, expected, found):
            return "\(path):\(line): expected \(expected) fields (as in the header), found \(found)"
        case let .unterminatedQuote(path, line):
            return "\(path):\(line): quoted field opened here is never closed"
        case let .strayQuote(path, line, detail):
            return "\(path):\(line): \(detail)"
        case let .duplicateColumn(path, name):
            return "\(path):1: column '\(name)' appears more than once in the header"
        }
    }
}
