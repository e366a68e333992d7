import Foundation

/// The package's `zoorun` executable, for tests that need real processes (a kill, a lock
/// held by another process); `swift build --build-tests` builds it beside the tests.
public enum ZoorunBinary {
    /// `.build/debug/zoorun` under the package root (this file is Tests/TestSupport/…).
    public static var path: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/zoorun").path
    }

    /// Whether it has been built.
    public static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// A process running zoorun with `arguments` in `folder`, stdout discarded, stderr in a
    /// pipe; not started.
    public static func process(_ arguments: [String], in folder: String) -> (Process, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: folder)
        p.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        p.standardError = err
        return (p, err)
    }

    /// Runs zoorun to the end; its exit status and stderr.
    public static func run(_ arguments: [String], in folder: String) throws -> (status: Int32, stderr: String) {
        let (p, err) = process(arguments, in: folder)
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
