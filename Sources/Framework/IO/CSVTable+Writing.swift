import Foundation

/// Writing a table back out as RFC 4180 CSV, quoting only the fields that need it.
extension CSVTable {
    /// The table as CSV text: header, then rows, each line ending in LF.
    public func encoded() -> String {
        var out = ""
        out.reserveCapacity(64 * (rows.count + 1))
        CSVTable.appendRecord(header, to: &out)
        for row in rows { CSVTable.appendRecord(row, to: &out) }
        return out
    }

    /// Writes the table to `path` atomically (temporary file, then rename). Throws if a row
    /// does not have one field per column.
    public func write(to path: String) throws {
        for (r, row) in rows.enumerated() where row.count != header.count {
            throw CSVError.fieldCount(path: path, line: r + 2, expected: header.count, found: row.count)
        }
        try FileIO.writeAtomically(encoded(), to: path)
    }

    /// A field as it must appear in CSV: quoted, with quotes doubled, when it holds a comma, a
    /// quote or a line break, or starts or ends with a space (which some readers would trim).
    public static func quoted(_ field: String) -> String {
        var needs = false
        for u in field.utf8 where u == UInt8(ascii: ",") || u == UInt8(ascii: "\"") || u == UInt8(ascii: "\n")
            || u == UInt8(ascii: "\r") {
            needs = true
            break
        }
        if let f = field.utf8.first, let l = field.utf8.last, f == UInt8(ascii: " ") || l == UInt8(ascii: " ") {
            needs = true
        }
        guard needs else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func appendRecord(_ fields: [String], to out: inout String) {
        for (k, f) in fields.enumerated() {
            if k > 0 { out += "," }
            out += quoted(f)
        }
        // A single empty field would otherwise be an empty line, which readers skip.
        if fields.count == 1 && fields[0].isEmpty { out += "\"\"" }
        out += "\n"
    }
}
