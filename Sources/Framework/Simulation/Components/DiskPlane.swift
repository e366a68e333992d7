import Foundation

/// The plane of an inclined disk as seen on the sky: its centre, the position angle of its
/// major axis and its apparent axis ratio (cos of the inclination for a thin disk).
///
/// Bars, arms and rings are drawn in this plane, so they foreshorten with their disk.
public struct DiskPlane: Codable, Equatable, Sendable {
    /// Centre in image pixels.
    public var x: Double
    public var y: Double
    /// Position angle of the major axis, radians from +x towards +y.
    public var angle: Double
    /// Apparent minor over major axis.
    public var axisRatio: Double

    public init(x: Double, y: Double, angle: Double, axisRatio: Double) {
        self.x = x
        self.y = y
        self.angle = angle
        self.axisRatio = axisRatio
    }

    /// Precomputed trigonometry for mapping many pixels into the plane.
    struct Projector {
        let x0: Float, y0: Float, c: Float, s: Float, invQ: Float

        /// In-plane coordinates (u along the major axis, v deprojected) of image point (x, y).
        @inline(__always)
        func project(_ x: Float, _ y: Float) -> (Float, Float) {
            let dx = x - x0, dy = y - y0
            return (dx * c + dy * s, (dy * c - dx * s) * invQ)
        }
    }

    var projector: Projector {
        Projector(x0: Float(x), y0: Float(y), c: Float(cos(angle)), s: Float(sin(angle)), invQ: Float(1 / axisRatio))
    }

    /// Image point of in-plane coordinates (u, v).
    public func imagePoint(u: Double, v: Double) -> (x: Double, y: Double) {
        let vq = v * axisRatio
        return (x + u * cos(angle) - vq * sin(angle), y + u * sin(angle) + vq * cos(angle))
    }
}
