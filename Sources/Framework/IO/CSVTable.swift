/// A CSV table read per RFC 4180: a header row, then records of strings.
///
/// Fields may be quoted; a quoted field may hold commas, doubled quotes (`""`) and line
/// breaks. Records end with LF, CRLF or a lone CR. A UTF-8 byte-order mark is dropped.
/// Entirely empty lines are skipped (as pandas does); any other record whose field count
/// differs from the header is an error naming the file and line.
public struct CSVTable: Sendable, Equatable {
    /// Column names, in file order.
    public var header: [String]
    /// Records, each with `header.count` fields.
    public var rows: [[String]]
    /// The 1-based file line on which each record starts (records may span lines).
    public var lines: [Int]
    /// Where the table came from, for messages.
    public var source: String

    /// A table built in memory (for writing). Each row must have `header.count` fields.
    public init(header: [String], rows: [[String]] = [], source: String = "<memory>") {
        self.header = header
        self.rows = rows
        self.lines = rows.indices.map { $0 + 2 }
        self.source = source
    }

    /// Reads and parses the file at `path`.
    public static func read(path: String) throws -> CSVTable {
        try CSVTable(parsing: try FileIO.read(path), source: path)
    }

    /// Parses `text`; `source` names it in errors.
    public init(parsing text: String, source: String = "<memory>") throws {
        try self.init(parsing: Array(text.utf8), source: source)
    }

    /// Parses UTF-8 bytes; `source` names them in errors.
    public init(parsing bytes: [UInt8], source: String = "<memory>") throws {
        var records = try CSVTable.records(bytes, source: source)
        guard !records.isEmpty else { throw CSVError.empty(path: source) }
        let head = records.removeFirst()
        var seen = Set<String>()
        for name in head.fields where !seen.insert(name).inserted {
            throw CSVError.duplicateColumn(path: source, name: name)
        }
        for record in records where record.fields.count != head.fields.count {
            throw CSVError.fieldCount(path: source, line: record.line, expected: head.fields.count,
                                      found: record.fields.count)
        }
        self.header = head.fields
        self.rows = records.map(\.fields)
        self.lines = records.map(\.line)
        self.source = source
    }

    /// Index of the column called `name`.
    public func columnIndex(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// All values of the column called `name`, or nil if there is no such column.
    public func column(_ name: String) -> [String]? {
        guard let c = columnIndex(name) else { return nil }
        return rows.map { $0[c] }
    }

    /// Splits bytes into records of fields, remembering each record's first line.
    private static func records(_ bytes: [UInt8], source: String) throws -> [(fields: [String], line: Int)] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        let n = bytes.count
        var i = 0
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        var out: [(fields: [String], line: Int)] = []
        var line = 1

        func text(_ b: ArraySlice<UInt8>) throws -> String {
            guard let s = String(validating: b, as: UTF8.self) else { throw CSVError.notUTF8(path: source) }
            return s
        }
        // Consumes the line break at i (CRLF counts once) and counts the line.
        func skipBreak() {
            if bytes[i] == cr, i + 1 < n, bytes[i + 1] == lf { i += 1 }
            i += 1
            line += 1
        }

        while i < n {
            let recordLine = line
            if bytes[i] == cr || bytes[i] == lf {  // an empty line is not a record
                skipBreak()
                continue
            }
            var fields: [String] = []
            while true {  // one field per pass
                if i < n, bytes[i] == quote {
                    let openLine = line
                    var field: [UInt8] = []
                    var closed = false
                    i += 1
                    while i < n {
                        let c = bytes[i]
                        if c == quote {
                            if i + 1 < n, bytes[i + 1] == quote {
                                field.append(quote)
                                i += 2
                                continue
                            }
                            i += 1
                            closed = true
                            break
                        }
                        if c == lf || (c == cr && !(i + 1 < n && bytes[i + 1] == lf)) { line += 1 }
                        field.append(c)
                        i += 1
                    }
                    guard closed else { throw CSVError.unterminatedQuote(path: source, line: openLine) }
                    if i < n, bytes[i] != comma, bytes[i] != cr, bytes[i] != lf {
                        throw CSVError.strayQuote(path: source, line: line,
                                                  detail: "text after the closing quote of a field")
                    }
                    fields.append(try text(field[...]))
                } else {
                    let start = i
                    while i < n, bytes[i] != comma, bytes[i] != cr, bytes[i] != lf {
                        if bytes[i] == quote {
                            throw CSVError.strayQuote(
                                path: source, line: line,
                                detail: "quote inside an unquoted field (quote the whole field and double its quotes)")
                        }
                        i += 1
                    }
                    fields.append(try text(bytes[start..<i]))
                }
                if i < n, bytes[i] == comma {
                    i += 1
                    continue
                }
                if i < n { skipBreak() }
                break
            }
            out.append((fields, recordLine))
        }
        return out
    }
}
