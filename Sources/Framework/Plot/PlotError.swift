/// Why a chart could not be drawn; each case names the chart and what was wrong.
public enum PlotError: Error, Equatable, CustomStringConvertible {
    /// The data handed to a chart is inconsistent (lengths that don't match, and so on).
    case invalidData(plot: String, message: String)
    /// The requested size is outside what the chart can lay out.
    case invalidSize(plot: String, width: Int, height: Int, message: String)

    public var description: String {
        switch self {
        case let .invalidData(plot, message):
            return "\(plot): \(message)"
        case let .invalidSize(plot, width, height, message):
            return "\(plot): size \(width)×\(height): \(message)"
        }
    }

    /// Largest side of any chart, so a bad setting can't allocate without bound.
    static let maxSide = 8192

    /// Checks a requested canvas size.
    static func checkSize(_ plot: String, _ width: Int, _ height: Int, minimum: Int = 64) throws {
        guard width >= minimum, height >= minimum, width <= maxSide, height <= maxSide else {
            throw PlotError.invalidSize(plot: plot, width: width, height: height,
                                        message: "each side must be between \(minimum) and \(maxSide) pixels")
        }
    }
}
