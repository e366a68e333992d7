/// A detector or readout fault applied to the noisy counts: what makes an "artifact" image.
public enum DetectorDefect: Codable, Equatable, Sendable {
    /// A bleed trail below and above a saturated star: the column x from row y0 to y1
    /// (inclusive) pinned at `level` counts in every band.
    case saturatedColumn(x: Int, y0: Int, y1: Int, level: Double)
    /// Rows y ..< y + count of one band (0 g, 1 r, 2 z) offset by `level` counts (an
    /// amplifier glitch).
    case badRows(band: Int, y: Int, count: Int, level: Double)

    /// Applies the defect to 3×S×S sky-subtracted counts.
    func apply(to counts: inout [Float], size s: Int) {
        switch self {
        case let .saturatedColumn(x, y0, y1, level):
            let lo = max(0, y0), hi = min(s - 1, y1)
            guard (0..<s).contains(x), lo <= hi else { return }
            for b in 0..<3 {
                for y in lo...hi { counts[(b * s + y) * s + x] = Float(level) }
            }
        case let .badRows(band, y, count, level):
            let lo = max(0, y), hi = min(s, y + count)
            guard (0..<3).contains(band), lo < hi else { return }
            for row in lo..<hi {
                for x in 0..<s { counts[(band * s + row) * s + x] += Float(level) }
            }
        }
    }
}
