import Foundation

/// The rule for commands that write one file (`predict`, `embed`, `similar`, `bench --json`,
/// `simulate --gallery`): an existing file is replaced only with `--overwrite`. The write
/// itself is atomic (`AtomicFile`), so two processes writing the same file leave one whole
/// file, never a torn one; no lock is needed.
public enum OutputFile {
    /// Throws unless `path` is free, or a file and `overwrite` is set.
    public static func check(_ path: String, overwrite: Bool, option: String = "--out") throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return }
        if isDir.boolValue { throw OutputError.isAFolder(path: path, option: option) }
        if !overwrite { throw OutputError.fileExists(path: path, option: option) }
    }
}
