import Foundation
import Framework

/// A volunteers' file checked as a whole before anything is imported. Classifier loops read
/// `id_str,label` (a class index or name); vote-tree loops read `id_str` and one vote-count
/// column per answer of the tree (`question_answer`). An unknown id, a label outside the
/// classes, a negative or non-integer count, a duplicate with a conflicting answer (within
/// the file or against the journal) or an unparsable row refuses the whole file, naming the row.
public struct LabelImport {
    /// What the volunteers may answer.
    public enum Kind {
        /// A class of these names.
        case classes([String])
        /// Vote counts for every answer of the tree.
        case votes(DecisionTree)
    }

    /// One galaxy's answer: a class index, or vote counts in the tree's column order.
    public enum Answer: Equatable {
        case label(Int)
        case votes([Int])
    }

    /// Answers not yet in the journal, in file order.
    public var new: [(id: String, answer: Answer)]
    /// Rows whose answer the journal already holds (a rerun of an interrupted import).
    public var alreadyJournalled: Int

    /// - Parameters:
    ///   - pool: ids that may be labelled (the galaxies without initial labels).
    ///   - initial: ids labelled by the data source, with the split that labels them.
    ///   - journal: answers imported before.
    public init(path: String, kind: Kind, pool: Set<String>, initial: [String: String], journal: [String: Answer]) throws {
        let table: CSVTable
        do { table = try CSVTable.read(path: path) } catch {
            throw ConfigError(file: path, message: "label import refused, nothing imported: \(error)")
        }
        func refuse(_ row: Int, _ why: String) -> ConfigError {
            ConfigError(file: path, message: "label import refused, nothing imported: line \(table.lines[row]): \(why)")
        }
        let wanted: [String]
        switch kind {
        case .classes: wanted = ["label"]
        case .votes(let tree): wanted = tree.columnNames
        }
        let missing = wanted.filter { table.columnIndex($0) == nil }
        guard let idColumn = table.columnIndex("id_str"), missing.isEmpty else {
            throw ConfigError(file: path, message: "label import refused, nothing imported: the file needs columns id_str and \(wanted.count == 1 ? wanted[0] : "one vote count per answer of the tree"); missing \(((table.columnIndex("id_str") == nil ? ["id_str"] : []) + missing.prefix(6) + (missing.count > 6 ? ["…"] : [])).joined(separator: ", "))")
        }
        let columns = wanted.map { table.columnIndex($0)! }
        var seen: [String: (answer: Answer, row: Int)] = [:]
        var new: [(id: String, answer: Answer)] = []
        var again = 0
        for (r, row) in table.rows.enumerated() {
            let id = row[idColumn].trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else { throw refuse(r, "empty id_str") }
            let cells = columns.map { row[$0].trimmingCharacters(in: .whitespaces) }
            let answer: Answer
            switch kind {
            case .classes(let classes): answer = .label(try Self.label(cells[0], id: id, classes: classes) { refuse(r, $0) })
            case .votes(let tree): answer = .votes(try Self.votes(cells, id: id, tree: tree) { refuse(r, $0) })
            }
            if let split = initial[id] {
                throw refuse(r, "galaxy '\(id)' is already labelled in the \(split) split; only pool galaxies can be imported")
            }
            guard pool.contains(id) else { throw refuse(r, "unknown galaxy id '\(id)' (not in the pool)") }
            if let earlier = seen[id] {
                guard earlier.answer == answer else {
                    throw refuse(r, "galaxy '\(id)' has \(Self.describe(answer, kind)) here but \(Self.describe(earlier.answer, kind, bare: true)) on line \(table.lines[earlier.row])")
                }
                continue
            }
            seen[id] = (answer, r)
            if let old = journal[id] {
                guard old == answer else {
                    throw refuse(r, "galaxy '\(id)' has \(Self.describe(answer, kind)) here but the journal already holds \(Self.describe(old, kind, bare: true))")
                }
                again += 1
                continue
            }
            new.append((id, answer))
        }
        self.new = new
        alreadyJournalled = again
    }

    /// A class index or class name.
    static func label(_ text: String, id: String, classes: [String], refuse: (String) -> ConfigError) throws -> Int {
        guard !text.isEmpty else { throw refuse("galaxy '\(id)' has an empty label") }
        if let name = classes.firstIndex(of: text) { return name }
        guard let v = Int(text) else {
            throw refuse("galaxy '\(id)': label '\(text)' is neither a class index 0..<\(classes.count) nor a class name (\(classes.joined(separator: ", ")))")
        }
        guard classes.indices.contains(v) else {
            throw refuse("galaxy '\(id)': label \(v) is out of range (class indices 0..<\(classes.count): \(classes.joined(separator: ", ")))")
        }
        return v
    }

    /// Non-negative integer counts, one per answer, with at least one vote on the first question.
    static func votes(_ cells: [String], id: String, tree: DecisionTree, refuse: (String) -> ConfigError) throws -> [Int] {
        let names = tree.columnNames
        let counts = try cells.enumerated().map { j, text -> Int in
            guard let v = Int(text), v >= 0 else {
                throw refuse("galaxy '\(id)': \(names[j]) = '\(text)' is not a vote count (a non-negative integer)")
            }
            return v
        }
        if let root = tree.answerRanges.first, counts[root].allSatisfy({ $0 == 0 }) {
            throw refuse("galaxy '\(id)' has no votes on the first question (\(tree.questions[0].name))")
        }
        return counts
    }

    /// "label yes" / "votes smooth-or-featured_smooth=3 …" (the non-zero counts); `bare`
    /// leaves out the first word.
    static func describe(_ answer: Answer, _ kind: Kind, bare: Bool = false) -> String {
        let (word, value): (String, String)
        switch (answer, kind) {
        case (.label(let v), .classes(let classes)): (word, value) = ("label", classes[v])
        case (.votes(let counts), .votes(let tree)):
            (word, value) = ("votes", zip(tree.columnNames, counts).filter { $0.1 > 0 }.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
        case (.label(let v), _): (word, value) = ("label", String(v))
        case (.votes(let counts), _): (word, value) = ("votes", counts.map(String.init).joined(separator: " "))
        }
        return bare ? value : "\(word) \(value)"
    }
}
