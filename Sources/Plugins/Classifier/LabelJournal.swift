import Foundation
import Framework

/// `labels.jsonl` of a loop folder: every answer volunteers returned, one JSON object per line
/// (`id`, `label` for classifier loops or `votes` by `question_answer` column for vote-tree
/// loops, `source`, `round`), only ever appended to.
///
/// Crash safety: an import rewrites the whole journal to an fsync'd temporary file and
/// renames it over the old one, so after a kill the journal is either the old one or the old
/// one plus the complete import — never a torn line or half an import. Rerunning the same
/// import skips labels already present with the same value, so nothing is imported twice.
public struct LabelJournal {
    public struct Entry: Codable, Equatable {
        public var id: String
        /// Class index (classifier loops).
        public var label: Int?
        /// Vote counts by `question_answer` column (vote-tree loops).
        public var votes: [String: Int]?
        /// The CSV file the label came from.
        public var source: String
        /// The loop round during which it was imported.
        public var round: Int
    }

    public let path: String
    public private(set) var entries: [Entry]

    /// Reads the journal at `path` (empty if there is none yet). A line that is not a journal
    /// entry is an error naming the line.
    public init(path: String) throws {
        self.path = path
        entries = []
        guard FileManager.default.fileExists(atPath: path) else { return }
        let decoder = JSONDecoder()
        for (n, line) in try FileIO.readText(path).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            do { entries.append(try decoder.decode(Entry.self, from: Data(line.utf8))) } catch {
                throw ConfigError(file: path, message: "line \(n + 1) is not a label journal entry: \(error)")
            }
        }
    }

    /// Class labels by galaxy id.
    public var labels: [String: Int] {
        Dictionary(entries.compactMap { e in e.label.map { (e.id, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    /// Vote counts by galaxy id.
    public var votes: [String: [String: Int]] {
        Dictionary(entries.compactMap { e in e.votes.map { (e.id, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    /// Galaxy ids with an answer of either kind.
    public var ids: Set<String> { Set(entries.map(\.id)) }

    /// Appends `new` durably: the whole journal with the new lines goes to a temporary file,
    /// fsync'd, then renamed over the journal. `beforeRename` runs between the two (the loop's
    /// crash hook).
    public mutating func append(_ new: [Entry], beforeRename: () throws -> Void = {}) throws {
        guard !new.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var text = ""
        for e in entries + new { text += String(decoding: try encoder.encode(e), as: UTF8.self) + "\n" }
        try FileIO.writeAtomically(to: path) { temp in
            try FileIO.writeAtomically(text, to: temp)
            try beforeRename()
        }
        entries += new
    }
}
