import Foundation

/// A colour composite like the Legacy Surveys viewer's: scale each band, then an arcsinh
/// stretch of the mean intensity that keeps each pixel's colour (Lupton et al. 2004), with
/// z → red, r → green, g → blue.
public struct ColourStretch: Codable, Equatable, Sendable {
    /// Multipliers of g, r, z nanomaggies: after them, a mean of 1 is full brightness.
    public var scales: [Double]
    /// Arcsinh softening Q: faint light is boosted by about Q / asinh(Q).
    public var stretch: Double

    public init(scales: [Double], stretch: Double) {
        precondition(scales.count == 3, "ColourStretch: three scales (g, r, z)")
        self.scales = scales
        self.stretch = stretch
    }

    /// 3×H×W RGB in [0, 1] from 3×H×W g, r, z.
    public func rgb(_ bands: Image) -> Image {
        precondition(bands.channels == 3, "ColourStretch: needs g, r, z, got \(bands.channels) channels")
        let n = bands.height * bands.width
        let sg = Float(scales[0]), sr = Float(scales[1]), sz = Float(scales[2])
        let q = Float(stretch), norm = Float(stretch / asinh(stretch))
        var out = [Float](repeating: 0, count: 3 * n)
        bands.pixels.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                for k in 0..<n {
                    let g = max(0, p[k] * sg), r = max(0, p[n &+ k] * sr), z = max(0, p[2 &* n &+ k] * sz)
                    let mean = (g + r + z) * (1 / 3)
                    guard mean > 0 else { continue }
                    let f = Foundation.asinh(q * mean) / (q * mean) * norm
                    o[k] = min(1, z * f)
                    o[n &+ k] = min(1, r * f)
                    o[2 &* n &+ k] = min(1, g * f)
                }
            }
        }
        return Image(channels: 3, height: bands.height, width: bands.width, pixels: out)
    }
}
