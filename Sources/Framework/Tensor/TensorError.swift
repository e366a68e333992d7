/// An error raised by a tensor operation: always names the operation and the shapes involved.
public enum TensorError: Error, CustomStringConvertible, Equatable {
    /// Two shapes that had to agree did not.
    case shapeMismatch(op: String, lhs: [Int], rhs: [Int], detail: String = "")
    /// An argument was out of range for the tensor it applies to.
    case invalidArgument(op: String, message: String)
    /// A shape whose element count overflows or is negative.
    case invalidShape([Int])
    /// `backward()` was called on something that cannot start a backward pass.
    case backward(String)

    public var description: String {
        switch self {
        case let .shapeMismatch(op, lhs, rhs, detail):
            let extra = detail.isEmpty ? "" : ": \(detail)"
            return "\(op): shapes \(lhs) and \(rhs) do not match\(extra)"
        case let .invalidArgument(op, message):
            return "\(op): \(message)"
        case let .invalidShape(shape):
            return "invalid shape \(shape): dimensions must be ≥ 0 and their product must fit in memory"
        case let .backward(message):
            return "backward: \(message)"
        }
    }
}
