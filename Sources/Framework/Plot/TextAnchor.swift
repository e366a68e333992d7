/// Which point of a text's box sits at the coordinates given to `Canvas.drawText`.
///
/// Vertically, `top` is the top of the capitals, `middle` the middle of the capitals (so
/// numbers centre on a tick), `baseline` the line letters stand on, and `bottom` the bottom
/// of the descenders. For rotated text the same words describe the rotated box as seen on
/// the canvas: `left` is the side the letters' tops face.
public struct TextAnchor: Equatable, Sendable {
    public enum Horizontal: Sendable { case left, center, right }
    public enum Vertical: Sendable { case top, middle, baseline, bottom }

    public var horizontal: Horizontal
    public var vertical: Vertical

    public init(_ horizontal: Horizontal, _ vertical: Vertical) {
        self.horizontal = horizontal
        self.vertical = vertical
    }

    public static let topLeft = TextAnchor(.left, .top)
    public static let topCenter = TextAnchor(.center, .top)
    public static let topRight = TextAnchor(.right, .top)
    public static let middleLeft = TextAnchor(.left, .middle)
    public static let center = TextAnchor(.center, .middle)
    public static let middleRight = TextAnchor(.right, .middle)
    public static let bottomCenter = TextAnchor(.center, .bottom)
}
