import Foundation

/// Whole-file reads with a size cap, and atomic writes (temporary file, then rename), so a
/// reader never sees half a file and a crash never leaves one behind.
public enum FileIO {
    /// Default cap for whole-file reads: 1 GiB.
    public static let defaultReadLimit = 1 << 30

    /// The bytes of the file at `path`; throws if it is missing, not a regular file, or larger
    /// than `limit` (checked with `fstat` before anything is allocated).
    public static func read(_ path: String, limit: Int = defaultReadLimit) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FileError.cannotRead(path: path, reason: errnoText()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError.cannotRead(path: path, reason: errnoText()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileError.cannotRead(path: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        guard size <= limit else { throw FileError.tooLarge(path: path, bytes: size, limit: limit) }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { buf in
                Foundation.read(fd, buf.baseAddress! + done, size - done)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError.cannotRead(path: path, reason: errnoText())
            }
            if n == 0 { break }  // the file shrank while we read it
            done += n
        }
        if done < size { bytes.removeSubrange(done...) }
        return bytes
    }

    /// The size of the regular file at `path`; throws if it is missing or not a regular file.
    public static func fileSize(_ path: String) throws -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { throw FileError.cannotRead(path: path, reason: errnoText()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileError.cannotRead(path: path, reason: "not a regular file")
        }
        return Int(info.st_size)
    }

    /// The UTF-8 text of the file at `path`.
    public static func readText(_ path: String, limit: Int = defaultReadLimit) throws -> String {
        let bytes = try read(path, limit: limit)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FileError.cannotRead(path: path, reason: "not valid UTF-8 text")
        }
        return text
    }

    /// Writes `bytes` to `path` atomically.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        try writeAtomically(to: path) { temp in
            let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw FileError.cannotWrite(path: path, reason: errnoText()) }
            defer { close(fd) }
            try writeAll(bytes, to: fd, path: path)
            guard fsync(fd) == 0 else { throw FileError.cannotWrite(path: path, reason: errnoText()) }
        }
    }

    /// Writes many files atomically, each as `writeAtomically(_:to:)` does, but with every
    /// temporary file written before any is flushed: the first fsync commits the journal for
    /// all of them, so a batch of small files costs about one flush instead of one each.
    /// A file appears under its name only complete and flushed; on failure the temporaries go.
    public static func writeAtomically(_ files: [(bytes: [UInt8], path: String)]) throws {
        var open_: [(fd: Int32, temp: String, path: String)] = []
        defer { for f in open_ { close(f.fd); unlink(f.temp) } }
        for (bytes, path) in files {
            let temp = temporaryPath(for: path)
            let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw FileError.cannotWrite(path: path, reason: errnoText()) }
            open_.append((fd, temp, path))
            try writeAll(bytes, to: fd, path: path)
        }
        for f in open_ where fsync(f.fd) != 0 { throw FileError.cannotWrite(path: f.path, reason: errnoText()) }
        while let f = open_.first {
            close(f.fd)
            guard rename(f.temp, f.path) == 0 else {
                let reason = errnoText()
                open_[0].fd = -1
                throw FileError.cannotWrite(path: f.path, reason: reason)
            }
            open_.removeFirst()
        }
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                Foundation.write(fd, buf.baseAddress! + done, bytes.count - done)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError.cannotWrite(path: path, reason: errnoText())
            }
            done += n
        }
    }

    /// Writes `text` as UTF-8 to `path` atomically.
    public static func writeAtomically(_ text: String, to path: String) throws {
        try writeAtomically(Array(text.utf8), to: path)
    }

    /// Lets `produce` write a temporary file beside `path` (same folder, so the rename stays on
    /// one file system), then renames it over `path`. The temporary file is removed if
    /// `produce` or the rename fails. Used by writers that need a path, such as cfitsio's.
    public static func writeAtomically(to path: String, _ produce: (_ temporaryPath: String) throws -> Void) throws {
        let temp = temporaryPath(for: path)
        do {
            try produce(temp)
            guard rename(temp, path) == 0 else { throw FileError.cannotWrite(path: path, reason: errnoText()) }
        } catch {
            unlink(temp)
            throw error
        }
    }

    /// A fresh name beside `path`: `.NAME.tmp-PID-RANDOM`.
    static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let token = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        return folder + "/." + url.lastPathComponent + ".tmp-\(getpid())-" + token
    }

    /// `strerror(errno)` as a String.
    static func errnoText() -> String { String(cString: strerror(errno)) }
}
