/// An opaque colour with red, green and blue in [0, 1], as plots draw them.
public struct RGBColor: Equatable, Hashable, Sendable {
    public var red: Float
    public var green: Float
    public var blue: Float

    public init(red: Float, green: Float, blue: Float) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A colour from a 24-bit `0xRRGGBB` value.
    public init(hex: UInt32) {
        self.init(red: Float((hex >> 16) & 0xFF) / 255,
                  green: Float((hex >> 8) & 0xFF) / 255,
                  blue: Float(hex & 0xFF) / 255)
    }

    /// A grey of the given brightness.
    public init(gray: Float) { self.init(red: gray, green: gray, blue: gray) }

    /// Linear mix: `t = 0` gives self, `t = 1` gives `other`.
    public func mixed(with other: RGBColor, _ t: Float) -> RGBColor {
        RGBColor(red: red + (other.red - red) * t,
                 green: green + (other.green - green) * t,
                 blue: blue + (other.blue - blue) * t)
    }

    /// Relative luminance (Rec. 709 weights on the stored values), to pick legible text colours.
    public var luminance: Float { 0.2126 * red + 0.7152 * green + 0.0722 * blue }

    public static let white = RGBColor(gray: 1)
    public static let black = RGBColor(gray: 0)
    /// Label and tick text.
    public static let ink = RGBColor(gray: 0.13)
    /// Faint reference lines behind the data.
    public static let grid = RGBColor(gray: 0.89)
    /// Frame of a chart and tick marks.
    public static let frame = RGBColor(gray: 0.35)
    /// Border of a correctly classified tile.
    public static let correct = RGBColor(hex: 0x1A9850)
    /// Border of a misclassified tile.
    public static let wrong = RGBColor(hex: 0xD73027)

    /// Ten well-separated series colours (Okabe–Ito order first, then extras), cycled by index.
    public static let palette: [RGBColor] = [
        RGBColor(hex: 0x0072B2), RGBColor(hex: 0xE69F00), RGBColor(hex: 0x009E73),
        RGBColor(hex: 0xD55E00), RGBColor(hex: 0xCC79A7), RGBColor(hex: 0x56B4E9),
        RGBColor(hex: 0x8C6D31), RGBColor(hex: 0x4D4D4D), RGBColor(hex: 0xB8A000),
        RGBColor(hex: 0x7A3E9D),
    ]

    /// The palette colour for series `index`, cycling past the end.
    public static func series(_ index: Int) -> RGBColor {
        palette[((index % palette.count) + palette.count) % palette.count]
    }
}
