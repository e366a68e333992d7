import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive advisory lock on a file (`flock(2)`), held until `unlock()` or the end of the
/// process. The kernel drops it when the process dies, however it dies (even SIGKILL), so a
/// lock is never stale: the file may stay, but nobody holds it. The only Swift file that
/// calls `flock`.
public final class FileLock {
    public let path: String
    private var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Opens (creating) `path` and takes the lock without waiting; nil when another open of
    /// the file, in this process or another, holds it. The descriptor is close-on-exec, so a
    /// child process never inherits the lock and outlives its parent holding it.
    public static func tryLock(_ path: String) throws -> FileLock? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let e = errno
            if e == EINTR { continue }
            close(fd)
            if e == EWOULDBLOCK { return nil }
            throw FileError.cannotWrite(path: path, reason: "cannot lock: " + String(cString: strerror(e)))
        }
        return FileLock(path: path, fd: fd)
    }

    /// Replaces the file's contents, e.g. with who holds the lock, for the next process to
    /// read in its error.
    public func write(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard ftruncate(fd, 0) == 0 else { throw FileError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        guard written == bytes.count else { throw FileError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Releases the lock (the file stays); later calls do nothing.
    public func unlock() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { unlock() }
}
