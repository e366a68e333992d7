/// Named (x, y) series as lines and/or markers, each optionally with a shaded band (mean ±
/// std for learning curves), with a legend, nice ticks and an optional log x axis.
public struct LinePlot: Sendable {
    /// One named curve.
    public struct Series: Sendable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        /// Lower and upper edge of a shaded band, one value per point.
        public var band: (lower: [Double], upper: [Double])?
        /// Nil picks the next palette colour.
        public var color: RGBColor?
        /// Nil uses the style's line width; 0 draws markers only (a scatter).
        public var lineWidth: Double?
        /// Dash pattern [on, off, …] in pixels; nil for a solid line.
        public var dash: [Double]?
        public var marker: Marker?
        /// Leave the series out of the legend.
        public var hideInLegend: Bool

        public init(name: String, x: [Double], y: [Double], band: (lower: [Double], upper: [Double])? = nil,
                    color: RGBColor? = nil, lineWidth: Double? = nil, dash: [Double]? = nil,
                    marker: Marker? = nil, hideInLegend: Bool = false) {
            self.name = name
            self.x = x
            self.y = y
            self.band = band
            self.color = color
            self.lineWidth = lineWidth
            self.dash = dash
            self.marker = marker
            self.hideInLegend = hideInLegend
        }

        /// A mean curve with a band of ± `std` around it.
        public init(name: String, x: [Double], mean: [Double], std: [Double], color: RGBColor? = nil) {
            let n = min(mean.count, std.count)
            self.init(name: name, x: x, y: mean,
                      band: ((0..<n).map { mean[$0] - std[$0] }, (0..<n).map { mean[$0] + std[$0] }),
                      color: color)
        }
    }

    public var series: [Series]
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var logX: Bool
    /// Fixed axis ranges; nil fits the data (bands included) to nice ticks.
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var legend: LegendPosition
    public var width: Int
    public var height: Int
    public var style: PlotStyle

    public init(series: [Series] = [], title: String = "", xLabel: String = "", yLabel: String = "",
                logX: Bool = false, xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                legend: LegendPosition = .auto, width: Int = 800, height: Int = 500, style: PlotStyle = .standard) {
        self.series = series
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logX = logX
        self.xRange = xRange
        self.yRange = yRange
        self.legend = legend
        self.width = width
        self.height = height
        self.style = style
    }

    /// The chart as a 3×height×width image.
    public func render() throws -> Image {
        try PlotError.checkSize("LinePlot", width, height)
        for s in series {
            guard s.x.count == s.y.count else {
                throw PlotError.invalidData(plot: "LinePlot", message: "series '\(s.name)' has \(s.x.count) x values and \(s.y.count) y values")
            }
            if let b = s.band, b.lower.count != s.x.count || b.upper.count != s.x.count {
                throw PlotError.invalidData(plot: "LinePlot", message: "series '\(s.name)' has \(s.x.count) points but its band has \(b.lower.count) lower and \(b.upper.count) upper values")
            }
        }
        let entries = series.enumerated().filter { !$0.element.hideInLegend && !$0.element.name.isEmpty }.map { k, s in
            Legend.Entry(label: s.name, swatch: .line(color: color(k), width: s.lineWidth ?? style.lineWidth,
                                                      dash: s.dash, marker: s.marker, band: s.band != nil))
        }
        let legendBox = Legend(entries: entries, style: style)
        let axes = Axes(width: width, height: height, title: title, xLabel: xLabel, yLabel: yLabel,
                        x: xTicks(), y: yTicks(), style: style,
                        topReserve: legend == .above ? legendBox.stripHeight(canvasWidth: width) : 0,
                        inset: (dataInset, dataInset))
        guard axes.isUsable else {
            throw PlotError.invalidSize(plot: "LinePlot", width: width, height: height, message: "no room left for the plot area after labels")
        }
        var canvas = Canvas(width: width, height: height, background: style.background)
        axes.drawGrid(on: &canvas)
        canvas.clip = axes.area
        // Bands first, so no band hides another series' line.
        for (k, s) in series.enumerated() {
            guard let b = s.band else { continue }
            let upper = s.x.indices.map { (axes.px(s.x[$0]), axes.py(b.upper[$0])) }
            let lower = s.x.indices.reversed().map { (axes.px(s.x[$0]), axes.py(b.lower[$0])) }
            for run in Self.finiteRuns(upper.indices.map { (upper[$0], lower[upper.count - 1 - $0]) }) {
                canvas.fillPolygon(run.map(\.0) + run.map(\.1).reversed(), color: color(k), alpha: style.bandAlpha)
            }
        }
        for (k, s) in series.enumerated() {
            let pts = s.x.indices.map { (x: axes.px(s.x[$0]), y: axes.py(s.y[$0])) }
            let lw = s.lineWidth ?? style.lineWidth
            if lw > 0 { canvas.drawPolyline(pts, color: color(k), width: lw, dash: s.dash) }
            if let m = s.marker {
                for p in pts where p.x.isFinite && p.y.isFinite {
                    canvas.drawMarker(m, x: p.x, y: p.y, size: style.markerSize, color: color(k))
                }
            }
        }
        axes.drawFrame(on: &canvas)
        legendBox.draw(on: &canvas, in: axes.area, position: legend, stripTop: axes.reserveTop)
        return canvas.image
    }

    /// Room between frame and axis ends for the widest line or marker.
    private var dataInset: Int {
        let widest = series.map { max($0.lineWidth ?? style.lineWidth, $0.marker == nil ? 0 : style.markerSize) }.max() ?? 0
        return Int((widest / 2).rounded(.up)) + 3
    }

    private func color(_ k: Int) -> RGBColor { series[k].color ?? RGBColor.series(k) }

    /// Stretches of consecutive pairs where every coordinate is finite (a band breaks at gaps).
    private static func finiteRuns(_ pairs: [((Double, Double), (Double, Double))]) -> [[((Double, Double), (Double, Double))]] {
        var runs: [[((Double, Double), (Double, Double))]] = [], current: [((Double, Double), (Double, Double))] = []
        for p in pairs {
            if p.0.0.isFinite && p.0.1.isFinite && p.1.0.isFinite && p.1.1.isFinite {
                current.append(p)
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs.filter { $0.count >= 2 }
    }

    private func xTicks() -> AxisTicks {
        let xs = series.flatMap(\.x).filter { $0.isFinite && (!logX || $0 > 0) }
        let lo = xRange?.lowerBound ?? xs.min() ?? (logX ? 1 : 0)
        let hi = xRange?.upperBound ?? xs.max() ?? (logX ? 10 : 1)
        return logX ? .logarithmic(min: lo, max: hi)
            : .linear(min: lo, max: hi, targetCount: style.tickTarget(pixels: width, vertical: false))
    }

    private func yTicks() -> AxisTicks {
        let target = style.tickTarget(pixels: height, vertical: true)
        if let r = yRange { return .linear(min: r.lowerBound, max: r.upperBound, targetCount: target) }
        var ys = series.flatMap(\.y)
        for s in series { if let b = s.band { ys += b.lower + b.upper } }
        ys = ys.filter(\.isFinite)
        return .linear(min: ys.min() ?? 0, max: ys.max() ?? 1, targetCount: target)
    }
}
