import Foundation

/// A straight streak across the frame with a Gaussian cross-section: a satellite trail.
public struct LineSource: Codable, Equatable, Sendable {
    /// A point on the line, image pixels.
    public var x: Double
    public var y: Double
    /// Direction of the line, radians from +x towards +y.
    public var angle: Double
    /// Gaussian σ across the line, pixels.
    public var width: Double

    public init(x: Double, y: Double, angle: Double, width: Double) {
        self.x = x
        self.y = y
        self.angle = angle
        self.width = width
    }

    /// Fills `out` (zeroed) with the streak sampled at pixel centres, scaled to `flux`
    /// over the canvas.
    func render(flux: Double, into out: UnsafeMutablePointer<Float>, canvas: RenderCanvas) {
        let x0 = Float(x), y0 = Float(y), c = Float(cos(angle)), s = Float(sin(angle))
        let k = Float(-1 / (2 * width * width))
        let size = canvas.size
        for i in 0..<size {
            let dy = canvas.centre(i) - y0
            let row = out + i &* size
            for j in 0..<size {
                let d = dy * c - (canvas.centre(j) - x0) * s
                row[j] = Foundation.exp(k * d * d)
            }
        }
        ComponentShape.normalise(out, rows: 0..<size, cols: 0..<size, size: size, to: flux)
    }
}
