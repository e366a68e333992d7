/// Why a command refuses to write where it was told to: each message names the path, what is
/// there, and what to do instead.
public enum OutputError: Error, CustomStringConvertible, Equatable {
    /// Another live zoorun holds the folder's lock; `holder` is what it wrote into the lock
    /// file (pid, started, command), empty if it had not written it yet.
    case locked(folder: String, option: String, holder: [String: String])
    /// The folder holds files zoorun did not write (the first few, folders ending in `/`).
    case foreign(folder: String, option: String, entries: [String], total: Int)
    /// The folder holds an earlier output of this kind and neither resuming nor overwriting
    /// was asked for.
    case exists(folder: String, option: String, kind: OutputFolder.Kind, earlier: [String: String])
    /// The folder holds a different kind of zoorun output (e.g. a run where a loop was asked).
    case otherKind(folder: String, option: String, found: String, wanted: OutputFolder.Kind, earlier: [String: String])
    /// A folder was asked for and a file is there.
    case notAFolder(path: String, option: String)
    /// A single output file exists and `--overwrite` was not given.
    case fileExists(path: String, option: String)
    /// A single output file was asked for and a folder is there.
    case isAFolder(path: String, option: String)

    public var description: String {
        switch self {
        case let .locked(folder, option, holder):
            let pid = holder["pid"]
            let who = pid.map { "pid \($0), started \(holder["started"] ?? "?"): \(holder["command"] ?? "?")" }
                ?? "its details are not written yet"
            let stop = pid.map { " (kill \($0))" } ?? ""
            return "\(folder): error: in use by another zoorun (\(who)); wait for it to finish or stop it\(stop), or choose another \(option)"
        case let .foreign(folder, option, entries, total):
            let more = total > entries.count ? " and \(total - entries.count) more" : ""
            return "\(folder): error: \(option) holds files that zoorun did not write (\(entries.joined(separator: ", "))\(more)); "
                + "zoorun writes only into a new or empty folder or one it made (marked by \(OutputFolder.markerName)): choose another \(option)"
        case let .exists(folder, option, kind, earlier):
            let how = kind.resumable ? "pass --resume to continue it, or --overwrite to replace it (deleting its files)"
                : "pass --overwrite to replace it (deleting its files)"
            return "\(folder): error: holds an earlier \(kind.noun) (\(Self.describe(earlier))); \(how), or choose another \(option)"
        case let .otherKind(folder, option, found, wanted, earlier):
            let noun = OutputFolder.Kind(rawValue: found)?.noun ?? found
            return "\(folder): error: holds a zoorun \(noun) (\(Self.describe(earlier))), not a \(wanted.noun); "
                + "choose another \(option), or pass --overwrite to replace it (deleting its files)"
        case let .notAFolder(path, option):
            return "\(path): error: \(option) is a file, not a folder; choose another \(option)"
        case let .fileExists(path, option):
            return "\(path): error: \(option) exists; pass --overwrite to replace it, or choose another \(option)"
        case let .isAFolder(path, option):
            return "\(path): error: \(option) is a folder, not a file; choose another \(option)"
        }
    }

    /// "zoorun experiments/rings.yaml, 2026-12-07T23:51:08Z", from a marker's fields.
    static func describe(_ fields: [String: String]) -> String {
        [fields["command"], fields["created"]].compactMap { $0 }.joined(separator: ", ")
    }
}
