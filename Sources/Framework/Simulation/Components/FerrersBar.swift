import Foundation

/// A bar with a Ferrers profile `I0·(1 − (m/a)²)^(n + 0.5)` for m < a, where m is the
/// elliptical radius in the bar's frame, drawn in its disk's plane.
public struct FerrersBar: Codable, Equatable, Sendable {
    /// The disk the bar lies in.
    public var plane: DiskPlane
    /// Angle of the bar's major axis in the disk plane, radians from the disk's major axis.
    public var angle: Double
    /// Semi-major axis a, in-plane pixels.
    public var length: Double
    /// Minor over major axis of the bar itself (0.2–0.4 for real bars).
    public var axisRatio: Double
    /// Ferrers index n (commonly 1 or 2).
    public var index: Double

    public init(plane: DiskPlane, angle: Double, length: Double, axisRatio: Double, index: Double) {
        self.plane = plane
        self.angle = angle
        self.length = length
        self.axisRatio = axisRatio
        self.index = index
    }

    /// The profile (I0 = 1) at image point (x, y).
    @inline(__always)
    func value(_ p: DiskPlane.Projector, _ x: Float, _ y: Float, c: Float, s: Float, invA2: Float, invQ: Float,
               exponent: Float) -> Float {
        let (u, v) = p.project(x, y)
        let a = u * c + v * s, b = (v * c - u * s) * invQ
        let m2 = (a * a + b * b) * invA2
        return m2 < 1 ? Foundation.pow(1 - m2, exponent) : 0
    }

    /// Fills `out` (zeroed) with the bar sampled at pixel centres and scaled to `flux`
    /// over the canvas.
    func render(flux: Double, into out: UnsafeMutablePointer<Float>, canvas: RenderCanvas) {
        let p = plane.projector
        let c = Float(cos(angle)), s = Float(sin(angle))
        let invA2 = Float(1 / (length * length)), invQ = Float(1 / axisRatio), exponent = Float(index + 0.5)
        let rows = canvas.span(plane.y - length - 1, plane.y + length + 1)
        let cols = canvas.span(plane.x - length - 1, plane.x + length + 1)
        let size = canvas.size
        for i in rows {
            let y = canvas.centre(i)
            for j in cols {
                out[i &* size &+ j] = value(p, canvas.centre(j), y, c: c, s: s, invA2: invA2, invQ: invQ, exponent: exponent)
            }
        }
        ComponentShape.normalise(out, rows: rows, cols: cols, size: size, to: flux)
    }
}
