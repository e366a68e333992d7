import Foundation

/// A circular Gaussian source integrated exactly over each pixel: star-forming clumps,
/// foreground stars (σ well below a pixel, so the PSF sets their shape).
public struct GaussianSpot: Codable, Equatable, Sendable {
    /// Centre in image pixels.
    public var x: Double
    public var y: Double
    /// Gaussian σ in pixels.
    public var sigma: Double

    public init(x: Double, y: Double, sigma: Double) {
        self.x = x
        self.y = y
        self.sigma = sigma
    }

    /// Half-width of the window drawn around the centre, in σ.
    static let reachInSigma = 6.0

    /// The fraction of a unit 1-D Gaussian (centre c, σ) between a and b.
    static func fraction(_ a: Double, _ b: Double, centre c: Double, sigma: Double) -> Double {
        let k = 1 / (sigma * 2.0.squareRoot())
        return 0.5 * (erf((b - c) * k) - erf((a - c) * k))
    }

    /// Fills `out` (zeroed) with the spot: each pixel holds `flux` times the Gaussian's
    /// integral over it (a separable product of erf differences).
    func render(flux: Double, into out: UnsafeMutablePointer<Float>, canvas: RenderCanvas) {
        let reach = Self.reachInSigma * sigma + 1
        let rows = canvas.span(y - reach, y + reach), cols = canvas.span(x - reach, x + reach)
        let pad = Double(canvas.pad)
        let fy = rows.map { i in Self.fraction(Double(i) - pad, Double(i) - pad + 1, centre: y, sigma: sigma) }
        let fx = cols.map { j in Self.fraction(Double(j) - pad, Double(j) - pad + 1, centre: x, sigma: sigma) }
        let size = canvas.size
        for (a, i) in rows.enumerated() {
            let w = flux * fy[a]
            for (b, j) in cols.enumerated() { out[i &* size &+ j] = Float(w * fx[b]) }
        }
    }
}
