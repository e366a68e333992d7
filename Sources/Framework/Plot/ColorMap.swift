/// A sequential colour scale: maps a value in [0, 1] to a colour by linear interpolation
/// between stops (light for small values, dark for large).
public struct ColorMap: Sendable {
    /// (position in [0, 1], colour), ascending positions from 0 to 1.
    public var stops: [(position: Float, color: RGBColor)]

    public init(stops: [(position: Float, color: RGBColor)]) {
        precondition(stops.count >= 2, "ColorMap needs at least two stops")
        self.stops = stops
    }

    /// The colour at `t` (clamped to [0, 1]; NaN gives the first stop).
    public func color(at t: Float) -> RGBColor {
        let v = t.isNaN ? 0 : min(max(t, 0), 1)
        for k in 1..<stops.count where v <= stops[k].position {
            let (p0, c0) = stops[k - 1], (p1, c1) = stops[k]
            return c0.mixed(with: c1, p1 > p0 ? (v - p0) / (p1 - p0) : 1)
        }
        return stops[stops.count - 1].color
    }

    /// White through mid blue to navy, for counts and fractions.
    public static let blues = ColorMap(stops: [
        (0, RGBColor(hex: 0xF7FBFF)), (0.3, RGBColor(hex: 0xC6DBEF)), (0.6, RGBColor(hex: 0x4A98C9)),
        (1, RGBColor(hex: 0x08306B)),
    ])
}
