import Foundation
import Yams

/// A folder a command writes into, claimed for the life of the claim (or the process).
///
/// The rules, the same for every command that writes a folder:
/// - zoorun writes only into a missing or empty folder or one it made, which it marks with
///   `.zoorun-run` (kind, command, time). A folder holding anything else is refused untouched.
/// - An earlier output of the same kind is continued with `.resume`, deleted and replaced
///   with `.overwrite`, and otherwise refused: a rerun never silently destroys results.
/// - While claimed, the folder's `.zoorun.lock` is locked (`FileLock`), so a second process
///   stops with an error naming the holder (pid, start time, command). The kernel drops the
///   lock when the holder dies, so a killed run leaves no stale lock.
///
/// Folders written before the marker existed are recognised by the resolved `config.yaml`
/// that `zoorun` and `zoorun loop` wrote first (a mapping with `name` and `task`; a loop's
/// folder also holds `state.json`).
public final class OutputFolder {
    /// What a folder holds; an earlier output continues only as the same kind.
    public enum Kind: String, Sendable {
        /// An experiment or a sweep (`zoorun FILE.yaml`).
        case run
        /// The volunteer loop's state (`zoorun loop`).
        case loop
        /// A catalog of images and catalog.csv (`zoorun simulate --catalog`, `zoorun generate`).
        case catalog
        /// A folder of predictions (`zoorun predict` for tasks that write several files).
        case predictions

        var noun: String {
            switch self {
            case .run: return "run"
            case .loop: return "volunteer loop"
            case .catalog: return "catalog"
            case .predictions: return "prediction folder"
            }
        }

        /// Whether an interrupted output of this kind can be continued.
        var resumable: Bool { self == .run || self == .loop }
    }

    /// What to do with an earlier output of zoorun found in the folder.
    public enum Existing: Sendable {
        /// Refuse to start (the default of every command).
        case refuse
        /// Continue it (`--resume`; the loop always does).
        case resume
        /// Delete everything in the folder, then start afresh (`--overwrite`).
        case overwrite
    }

    public static let markerName = ".zoorun-run"
    public static let lockName = ".zoorun.lock"

    public let path: String
    public let kind: Kind
    /// True when the folder held an earlier output that this claim continues.
    public let continues: Bool
    private let lock: FileLock

    private init(path: String, kind: Kind, continues: Bool, lock: FileLock) {
        self.path = path
        self.kind = kind
        self.continues = continues
        self.lock = lock
    }

    /// The command line as a user would type it again, for the marker and the lock file.
    public static var commandLine: String {
        (["zoorun"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    }

    /// Claims `path` for writing output of `kind`, creating it if missing; throws an
    /// `OutputError` (naming `option`, the flag that chose the folder) when it may not.
    public static func claim(_ path: String, kind: Kind, existing: Existing, option: String = "--out",
                             command: String = commandLine) throws -> OutputFolder {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue {
            throw OutputError.notAFolder(path: path, option: option)
        }
        // Refuse a foreign folder before creating the lock file, so it is left untouched.
        if case let .foreign(entries, total) = try contents(of: path) {
            throw OutputError.foreign(folder: path, option: option, entries: entries, total: total)
        }
        try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
        let lockPath = "\(path)/\(lockName)"
        guard let lock = try FileLock.tryLock(lockPath) else {
            let holder = (try? String(contentsOfFile: lockPath, encoding: .utf8)).map(fields) ?? [:]
            throw OutputError.locked(folder: path, option: option, holder: holder)
        }
        // Under the lock, look again: another process may have written in between.
        var continues = false, marked = false
        switch try contents(of: path) {
        case .empty:
            break
        case let .foreign(entries, total):
            throw OutputError.foreign(folder: path, option: option, entries: entries, total: total)
        case let .zoorun(found, earlier, hasMarker):
            switch existing {
            case .overwrite:
                for entry in try fm.contentsOfDirectory(atPath: path) where entry != lockName {
                    try fm.removeItem(atPath: "\(path)/\(entry)")
                }
            case .resume where found == kind.rawValue:
                (continues, marked) = (true, hasMarker)
            case .resume, .refuse:
                if found != kind.rawValue {
                    throw OutputError.otherKind(folder: path, option: option, found: found, wanted: kind, earlier: earlier)
                }
                throw OutputError.exists(folder: path, option: option, kind: kind, earlier: earlier)
            }
        }
        let now = ISO8601DateFormatter().string(from: Date())
        if !marked {
            try AtomicFile.write("# zoorun writes only into new or empty folders and folders holding this file.\n"
                                 + "kind: \(kind.rawValue)\ncommand: \(command)\ncreated: \(now)\n", to: "\(path)/\(markerName)")
        }
        try lock.write("pid: \(ProcessInfo.processInfo.processIdentifier)\nstarted: \(now)\ncommand: \(command)\n")
        return OutputFolder(path: path, kind: kind, continues: continues, lock: lock)
    }

    /// Releases the folder for the next process (the lock file stays; it is not a lock by
    /// itself).
    public func release() { lock.unlock() }

    /// What a folder holds, the lock file aside. The marker alone counts as empty: a command
    /// that failed before writing anything (a typo in the data path) must not make its rerun
    /// need `--overwrite`.
    enum Contents: Equatable {
        case empty
        /// zoorun's output of `kind`, with the marker's fields.
        case zoorun(kind: String, fields: [String: String], marker: Bool)
        /// The first few entries (sorted, folders ending in `/`) and how many there are.
        case foreign(entries: [String], total: Int)
    }

    static func contents(of path: String) throws -> Contents {
        let fm = FileManager.default
        guard fm.fileExists(atPath: path) else { return .empty }
        let entries = try fm.contentsOfDirectory(atPath: path).filter { $0 != lockName }.sorted()
        let names = Set(entries)
        if names.isSubset(of: [markerName]) { return .empty }
        if names.contains(markerName) {
            let f = (try? String(contentsOfFile: "\(path)/\(markerName)", encoding: .utf8)).map(fields) ?? [:]
            return .zoorun(kind: f["kind"] ?? Kind.run.rawValue, fields: f, marker: true)
        }
        let legacy = ["command": "written before zoorun marked its folders"]
        if names.contains("config.yaml"), isResolvedConfig("\(path)/config.yaml") {
            return .zoorun(kind: names.contains("state.json") ? Kind.loop.rawValue : Kind.run.rawValue, fields: legacy, marker: false)
        }
        let shown = entries.prefix(5).map { e -> String in
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: "\(path)/\(e)", isDirectory: &isDir) && isDir.boolValue ? e + "/" : e
        }
        return .foreign(entries: shown, total: entries.count)
    }

    /// Whether a config.yaml is one zoorun resolved: a mapping with `name` and `task`.
    static func isResolvedConfig(_ file: String) -> Bool {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8),
              case let .mapping(m)? = try? Yams.compose(yaml: text) else { return false }
        return m["name"] != nil && m["task"] != nil
    }

    /// `key: value` lines (comments skipped), as the marker and the lock file hold them.
    static func fields(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            result[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return result
    }
}
