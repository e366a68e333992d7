import Foundation

/// Writes files so that a crash never leaves a torn one: the bytes go to a temporary file in
/// the same folder, which is synced and renamed over the destination (`FileIO.writeAtomically`).
/// This entry point also creates the folder, which run outputs need.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        try FileIO.writeAtomically([UInt8](data), to: path)
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }
}
