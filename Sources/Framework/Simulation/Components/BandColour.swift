import Foundation

/// A component's colour: the flux in each band g, r, z per unit of the component's flux.
///
/// Ordinary components have r = 1 (their flux is the r-band flux); a satellite trail seen in
/// one exposure has weight in one band only.
public struct BandColour: Codable, Equatable, Sendable {
    public var g: Double
    public var r: Double
    public var z: Double

    public init(g: Double, r: Double, z: Double) {
        self.g = g
        self.r = r
        self.z = z
    }

    /// From AB colours g − r and r − z (magnitudes), with r = 1.
    public init(gMinusR: Double, rMinusZ: Double) {
        self.init(g: pow(10, -0.4 * gMinusR), r: 1, z: pow(10, 0.4 * rMinusZ))
    }

    /// The weight of band 0 (g), 1 (r) or 2 (z).
    public subscript(band: Int) -> Double {
        switch band {
        case 0: return g
        case 1: return r
        default: return z
        }
    }
}
