/// An axis-aligned box in pixel coordinates (x1, y1) – (x2, y2), with a class label
/// (1-based: detection reserves 0 for background).
public struct BoundingBox: Equatable, Sendable, Codable {
    public var x1: Float
    public var y1: Float
    public var x2: Float
    public var y2: Float
    public var label: Int

    public init(x1: Float, y1: Float, x2: Float, y2: Float, label: Int = 1) {
        self.x1 = x1; self.y1 = y1; self.x2 = x2; self.y2 = y2; self.label = label
    }

    public var width: Float { x2 - x1 }
    public var height: Float { y2 - y1 }
    public var area: Float { max(0, width) * max(0, height) }
}
