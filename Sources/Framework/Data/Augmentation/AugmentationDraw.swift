/// What the augmentation decided for one example: the random choices and the single affine
/// map they compose to (input continuous coordinates → output continuous coordinates).
public struct AugmentationDraw: Equatable, Sendable {
    public var horizontalFlip = false
    public var verticalFlip = false
    /// Quarter turns counter-clockwise, 0...3.
    public var quarterTurns = 0
    /// Counter-clockwise rotation in radians.
    public var angle = 0.0
    /// The crop in the flipped and rotated frame, before resizing; nil when not cropping.
    public var crop: CropRegion?
    public var outputWidth: Int
    public var outputHeight: Int
    /// Input → output coordinates.
    public var map: AffineMap

    public init(outputWidth: Int, outputHeight: Int, map: AffineMap) {
        self.outputWidth = outputWidth
        self.outputHeight = outputHeight
        self.map = map
    }

    /// Whether applying the draw to a `width`×`height` image leaves it unchanged.
    public func isIdentity(width: Int, height: Int) -> Bool {
        map == .identity && outputWidth == width && outputHeight == height
    }
}
