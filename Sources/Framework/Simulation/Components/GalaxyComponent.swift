/// One light component of a simulated scene: what it is (its role in the ground truth),
/// its geometry, its total r-band flux in detector counts and its colour.
public struct GalaxyComponent: Codable, Equatable, Sendable {
    /// What the component is; masks and labels are made per role.
    public enum Role: String, Codable, Sendable, CaseIterable {
        case elliptical, bulge, disk, bar, spiral, ring, clump, companion, tail, star, trail
    }

    public var role: Role
    public var shape: ComponentShape
    /// Total flux in counts, before the colour weights (the r-band flux when colour.r = 1).
    public var flux: Double
    public var colour: BandColour

    public init(role: Role, shape: ComponentShape, flux: Double, colour: BandColour) {
        self.role = role
        self.shape = shape
        self.flux = flux
        self.colour = colour
    }

    /// Whether this is a point source, drawn from the PSF rather than blurred by it.
    var isPoint: Bool {
        if case .point = shape { return true }
        return false
    }
}
