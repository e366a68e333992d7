import Foundation

/// A ring: brightness `exp(−(r − R)²/(2σ²))` in radius r within a disk plane.
public struct GaussianRing: Codable, Equatable, Sendable {
    /// The disk the ring lies in.
    public var plane: DiskPlane
    /// Ring radius R, in-plane pixels.
    public var radius: Double
    /// Gaussian σ of the ring in radius, in-plane pixels.
    public var width: Double

    public init(plane: DiskPlane, radius: Double, width: Double) {
        self.plane = plane
        self.radius = radius
        self.width = width
    }

    /// Fills `out` (zeroed) with the ring sampled at pixel centres, scaled to `flux`.
    func render(flux: Double, into out: UnsafeMutablePointer<Float>, canvas: RenderCanvas) {
        let p = plane.projector
        let r0 = Float(radius), k = Float(-1 / (2 * width * width))
        let reach = radius + 5 * width + 1
        let rows = canvas.span(plane.y - reach, plane.y + reach)
        let cols = canvas.span(plane.x - reach, plane.x + reach)
        let size = canvas.size
        for i in rows {
            let y = canvas.centre(i)
            for j in cols {
                let (u, v) = p.project(canvas.centre(j), y)
                let d = (u * u + v * v).squareRoot() - r0
                out[i &* size &+ j] = Foundation.exp(k * d * d)
            }
        }
        ComponentShape.normalise(out, rows: rows, cols: cols, size: size, to: flux)
    }
}
