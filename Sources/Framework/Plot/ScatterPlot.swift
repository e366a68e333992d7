/// Points of one or more named groups, optionally with the y = x line: predicted against
/// true values (a regressor, vote fractions), or two embedding dimensions coloured by cluster.
public struct ScatterPlot: Sendable {
    public struct Group: Sendable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        public var marker: Marker

        public init(name: String, x: [Double], y: [Double], marker: Marker = .circle) {
            self.name = name
            self.x = x
            self.y = y
            self.marker = marker
        }
    }

    public var groups: [Group]
    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// Draw y = x across the data's range (perfect predictions lie on it).
    public var identityLine: Bool
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var width: Int
    public var height: Int

    public init(groups: [Group], title: String = "", xLabel: String = "", yLabel: String = "", identityLine: Bool = false,
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil, width: Int = 800, height: Int = 640) {
        self.groups = groups
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.identityLine = identityLine
        self.xRange = xRange
        self.yRange = yRange
        self.width = width
        self.height = height
    }

    /// The chart as a 3×height×width image (a line plot of marker-only series).
    public func render() throws -> Image {
        var series = groups.map { g in
            LinePlot.Series(name: g.name, x: g.x, y: g.y, lineWidth: 0, marker: g.marker, hideInLegend: groups.count == 1)
        }
        if identityLine {
            let values = groups.flatMap { $0.x + $0.y }.filter(\.isFinite)
            if let lo = values.min(), let hi = values.max(), lo < hi {
                series.append(LinePlot.Series(name: "y = x", x: [lo, hi], y: [lo, hi], color: RGBColor(red: 0.5, green: 0.5, blue: 0.5),
                                              dash: [6, 4]))
            }
        }
        return try LinePlot(series: series, title: title, xLabel: xLabel, yLabel: yLabel, xRange: xRange, yRange: yRange,
                            width: width, height: height).render()
    }
}
