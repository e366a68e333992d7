import Foundation

/// Maps the physical values of a FITS band to [0, 1] for a network (or a person): clip each
/// band to its own low/high percentiles, normalise, then stretch with arcsinh.
///
/// Per band, with lo, hi the `lowPercentile` and `highPercentile` of its pixels (linear
/// interpolation between order statistics, numpy's default) and a = `softening`:
///
///     x = clamp((v − lo) / (hi − lo), 0, 1)
///     y = asinh(x / a) / asinh(1 / a)
///
/// Small a stretches hard (faint structure brightened, as in survey colour images); large a
/// tends to linear. A band with hi = lo maps to 0. Defaults are 0.5 / 99.5 % and a = 0.1:
/// astropy's `PercentileInterval(99)` and `AsinhStretch(a=0.1)`. Galaxy Zoo DECaLS and the
/// Legacy Surveys viewer use fixed per-band scales in nanomaggies instead (see
/// docs/data-formats.md); percentiles work for any survey's units.
public struct DisplayScaling: Codable, Sendable, Equatable {
    /// Percentile (0–100) that becomes 0.
    public var lowPercentile: Double
    /// Percentile (0–100) that becomes 1.
    public var highPercentile: Double
    /// arcsinh softening, as a fraction of the clipped range; must be > 0.
    public var softening: Double

    public init(lowPercentile: Double = 0.5, highPercentile: Double = 99.5, softening: Double = 0.1) {
        self.lowPercentile = lowPercentile
        self.highPercentile = highPercentile
        self.softening = softening
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = DisplayScaling()
        self.init(lowPercentile: try c.decodeIfPresent(Double.self, forKey: .lowPercentile) ?? d.lowPercentile,
                  highPercentile: try c.decodeIfPresent(Double.self, forKey: .highPercentile) ?? d.highPercentile,
                  softening: try c.decodeIfPresent(Double.self, forKey: .softening) ?? d.softening)
        try validate()
    }

    /// Throws unless 0 ≤ low < high ≤ 100 and softening > 0.
    public func validate() throws {
        guard lowPercentile >= 0, highPercentile <= 100, lowPercentile < highPercentile else {
            throw TensorError.invalidArgument(
                op: "DisplayScaling", message: "percentiles must satisfy 0 ≤ low < high ≤ 100, got \(lowPercentile), \(highPercentile)")
        }
        guard softening > 0, softening.isFinite else {
            throw TensorError.invalidArgument(op: "DisplayScaling", message: "softening must be a positive number, got \(softening)")
        }
    }

    /// The scaled image: same shape, values in [0, 1]. Non-finite inputs map to 0.
    public func apply(_ image: Image) throws -> Image {
        try validate()
        var out = image
        let plane = image.height * image.width
        let a = softening
        let norm = asinh(1 / a)
        for c in 0..<image.channels {
            let band = image.pixels[(c * plane)..<((c + 1) * plane)].filter { $0.isFinite }.sorted()
            guard !band.isEmpty else {
                for i in (c * plane)..<((c + 1) * plane) { out.pixels[i] = 0 }
                continue
            }
            let lo = Self.percentile(sortedValues: band, lowPercentile)
            let hi = Self.percentile(sortedValues: band, highPercentile)
            let range = hi - lo
            for i in (c * plane)..<((c + 1) * plane) {
                let v = Double(image.pixels[i])
                guard v.isFinite, range > 0 else { out.pixels[i] = 0; continue }
                let x = min(max((v - lo) / range, 0), 1)
                out.pixels[i] = Float(asinh(x / a) / norm)
            }
        }
        return out
    }

    /// The p-th percentile (0–100) of ascending values, interpolating linearly between the
    /// two nearest ranks (position p/100 · (n − 1)).
    public static func percentile(sortedValues v: [Float], _ p: Double) -> Double {
        precondition(!v.isEmpty, "percentile of no values")
        let pos = min(max(p, 0), 100) / 100 * Double(v.count - 1)
        let i = Int(pos.rounded(.down))
        let t = pos - Double(i)
        if i + 1 >= v.count { return Double(v[v.count - 1]) }
        return Double(v[i]) * (1 - t) + Double(v[i + 1]) * t
    }
}
