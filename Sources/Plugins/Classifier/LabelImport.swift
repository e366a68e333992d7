import Foundation
import Framework

/// A volunteers' label file (`id_str,label`) checked as a whole before anything is imported:
/// an unknown id, a label outside the classes, a duplicate with a conflicting label (within
/// the file or against the journal) or an unparsable row refuses the whole file, naming the row.
public struct LabelImport {
    /// Labels not yet in the journal, in file order.
    public var new: [(id: String, label: Int)]
    /// Rows whose label the journal already holds (a rerun of an interrupted import).
    public var alreadyJournalled: Int

    /// - Parameters:
    ///   - pool: ids that may be labelled (the galaxies without initial labels).
    ///   - initial: ids labelled by the data source, with the split that labels them.
    ///   - classes: class names; a label is a class index or a class name.
    ///   - journal: labels imported before.
    public init(path: String, pool: Set<String>, initial: [String: String], classes: [String],
                journal: [String: Int]) throws {
        let table: CSVTable
        do { table = try CSVTable.read(path: path) } catch {
            throw ConfigError(file: path, message: "label import refused, nothing imported: \(error)")
        }
        func refuse(_ row: Int, _ why: String) -> ConfigError {
            ConfigError(file: path, message: "label import refused, nothing imported: line \(table.lines[row]): \(why)")
        }
        guard let idColumn = table.columnIndex("id_str"), let labelColumn = table.columnIndex("label") else {
            throw ConfigError(file: path, message: "label import refused, nothing imported: the file needs columns id_str and label; it has \(table.header.joined(separator: ", "))")
        }
        var seen: [String: (label: Int, row: Int)] = [:]
        var new: [(id: String, label: Int)] = []
        var again = 0
        for (r, row) in table.rows.enumerated() {
            let id = row[idColumn].trimmingCharacters(in: .whitespaces)
            let text = row[labelColumn].trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else { throw refuse(r, "empty id_str") }
            guard !text.isEmpty else { throw refuse(r, "galaxy '\(id)' has an empty label") }
            let label: Int
            if let name = classes.firstIndex(of: text) {
                label = name
            } else if let v = Int(text) {
                guard classes.indices.contains(v) else {
                    throw refuse(r, "galaxy '\(id)': label \(v) is out of range (class indices 0..<\(classes.count): \(classes.joined(separator: ", ")))")
                }
                label = v
            } else {
                throw refuse(r, "galaxy '\(id)': label '\(text)' is neither a class index 0..<\(classes.count) nor a class name (\(classes.joined(separator: ", ")))")
            }
            if let split = initial[id] {
                throw refuse(r, "galaxy '\(id)' is already labelled in the \(split) split; only pool galaxies can be imported")
            }
            guard pool.contains(id) else { throw refuse(r, "unknown galaxy id '\(id)' (not in the pool)") }
            if let earlier = seen[id] {
                guard earlier.label == label else {
                    throw refuse(r, "galaxy '\(id)' has label \(classes[label]) here but \(classes[earlier.label]) on line \(table.lines[earlier.row])")
                }
                continue
            }
            seen[id] = (label, r)
            if let old = journal[id] {
                guard old == label else {
                    throw refuse(r, "galaxy '\(id)' has label \(classes[label]) here but the journal already holds \(classes[old])")
                }
                again += 1
                continue
            }
            new.append((id, label))
        }
        self.new = new
        alreadyJournalled = again
    }
}
