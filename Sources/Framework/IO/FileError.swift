/// A file that could not be read or written, with the path and the operating system's reason.
public enum FileError: Error, CustomStringConvertible, Equatable {
    /// Opening or reading failed (missing file, permissions, a directory, …).
    case cannotRead(path: String, reason: String)
    /// Creating, writing or renaming failed.
    case cannotWrite(path: String, reason: String)
    /// The file is larger than the reader accepts.
    case tooLarge(path: String, bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case let .cannotRead(path, reason):
            return "\(path): cannot read: \(reason)"
        case let .cannotWrite(path, reason):
            return "\(path): cannot write: \(reason)"
        case let .tooLarge(path, bytes, limit):
            return "\(path): file is \(bytes) bytes, more than the \(limit)-byte limit"
        }
    }
}
