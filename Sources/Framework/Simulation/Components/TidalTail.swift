import Foundation

/// A tidal tail: a Gaussian-section arc along the log spiral `r(φ) = r0·e^(φ·tan|pitch|)`
/// winding out from its host for `span` radians, fading along its length.
public struct TidalTail: Codable, Equatable, Sendable {
    /// Host centre in image pixels.
    public var x: Double
    public var y: Double
    /// Angle where the tail leaves the host, radians from +x towards +y.
    public var startAngle: Double
    /// Angular length of the tail, radians (< 2π).
    public var span: Double
    /// Radius where the tail starts, pixels.
    public var startRadius: Double
    /// Opening angle of the arc; its sign sets the direction it winds.
    public var pitch: Double
    /// Gaussian σ across the tail, pixels.
    public var width: Double
    /// e-foldings of brightness from start to end.
    public var fade: Double

    public init(x: Double, y: Double, startAngle: Double, span: Double, startRadius: Double, pitch: Double,
                width: Double, fade: Double) {
        self.x = x
        self.y = y
        self.startAngle = startAngle
        self.span = span
        self.startRadius = startRadius
        self.pitch = pitch
        self.width = width
        self.fade = fade
    }

    /// Fills `out` (zeroed) with the tail sampled at pixel centres, scaled to `flux`.
    func render(flux: Double, into out: UnsafeMutablePointer<Float>, canvas: RenderCanvas) {
        let x0 = Float(x), y0 = Float(y), theta0 = Float(startAngle), spanF = Float(span)
        let direction: Float = pitch < 0 ? -1 : 1
        let growth = Float(tan(abs(pitch))), r0 = Float(startRadius)
        let k = Float(-1 / (2 * width * width)), fadeRate = Float(fade / span)
        let twoPi = Float(2 * Double.pi)
        let size = canvas.size
        for i in 0..<size {
            let dy = canvas.centre(i) - y0
            let row = out + i &* size
            for j in 0..<size {
                let dx = canvas.centre(j) - x0
                var phi = direction * (FastMath.atan2(dy, dx) - theta0)
                phi -= twoPi * (phi / twoPi).rounded(.down)    // into [0, 2π)
                guard phi <= spanF else { continue }
                let r = (dx * dx + dy * dy).squareRoot()
                let d = r - r0 * Foundation.exp(phi * growth)
                let start = 1 - Foundation.exp(-phi * phi * 10)  // soft start at the host
                row[j] = Foundation.exp(k * d * d - fadeRate * phi) * start
            }
        }
        ComponentShape.normalise(out, rows: 0..<size, cols: 0..<size, size: size, to: flux)
    }
}
