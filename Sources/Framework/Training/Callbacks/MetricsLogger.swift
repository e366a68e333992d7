import Foundation

/// Writes every finished epoch's metrics to `metrics.jsonl` and `metrics.csv` in the run
/// folder. Both files are rewritten from the history atomically at each epoch end, so a
/// crash never leaves a torn line and a resumed run continues the same files.
public final class MetricsLogger: TrainingCallback {
    public let folder: String

    public init(folder: String) { self.folder = folder }

    public func on(_ event: TrainingEvent, state: TrainerState) throws {
        guard case .epochEnd = event else { return }
        try Self.write(history: state.history, folder: folder)
    }

    /// Writes the two files for a history (also used by evaluation-only runs).
    public static func write(history: [[String: Double]], folder: String) throws {
        var jsonl = ""
        for row in history {
            let fields = row.keys.sorted().map { "\"\($0)\": \(jsonNumber(row[$0]!))" }
            jsonl += "{" + fields.joined(separator: ", ") + "}\n"
        }
        try AtomicFile.write(jsonl, to: "\(folder)/metrics.jsonl")
        var keys = Set<String>()
        for row in history { keys.formUnion(row.keys) }
        let columns = ["epoch"] + keys.subtracting(["epoch"]).sorted()
        var csv = columns.joined(separator: ",") + "\n"
        for row in history {
            csv += columns.map { row[$0].map(csvNumber) ?? "" }.joined(separator: ",") + "\n"
        }
        try AtomicFile.write(csv, to: "\(folder)/metrics.csv")
    }

    static func jsonNumber(_ v: Double) -> String { v.isFinite ? csvNumber(v) : "null" }

    static func csvNumber(_ v: Double) -> String {
        if v.isFinite && v == v.rounded() && abs(v) < 1e15 { return String(Int(v)) }
        return "\(v)"
    }
}
