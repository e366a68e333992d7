/// An unresolved source (a foreground star): its image is the PSF itself, drawn from the
/// untruncated profile so that bright stars keep their soft wings.
public struct PointSource: Codable, Equatable, Sendable {
    /// Position in image pixels.
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}
