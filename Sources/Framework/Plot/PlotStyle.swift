/// Sizes and colours shared by every chart, so that a report's figures look alike.
public struct PlotStyle: Equatable, Sendable {
    /// Integer scale of tick labels, axis labels, legends and captions.
    public var textScale: Int = 2
    /// Integer scale of chart titles.
    public var titleScale: Int = 3
    /// Width of data lines in pixels.
    public var lineWidth: Double = 2
    /// Size of data-point markers in pixels.
    public var markerSize: Double = 9
    /// Opacity of shaded bands (mean ± std).
    public var bandAlpha: Float = 0.2
    /// Space between the canvas edge and anything drawn, in pixels.
    public var padding: Int = 14
    /// Length of tick marks outside the frame.
    public var tickLength: Int = 5
    public var background: RGBColor = .white
    public var text: RGBColor = .ink
    public var grid: RGBColor = .grid
    public var frame: RGBColor = .frame

    public init() {}

    public static let standard = PlotStyle()

    /// 1× labels and a 2× title, for figures narrower than about 500 pixels.
    public static let compact: PlotStyle = {
        var s = PlotStyle()
        s.textScale = 1
        s.titleScale = 2
        s.padding = 10
        s.markerSize = 6
        return s
    }()

    /// About how many tick intervals fit along `pixels` of axis without crowding labels.
    func tickTarget(pixels: Int, vertical: Bool) -> Int {
        let perTick = Double((vertical ? 30 : 44) * textScale)
        return min(max(Int(Double(pixels) * 0.75 / perTick), 3), vertical ? 8 : 10)
    }
}
