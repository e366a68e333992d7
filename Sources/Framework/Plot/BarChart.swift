import Foundation

/// Grouped vertical bars: one slot per category, one bar per group inside each slot, with
/// optional error bars and value labels (e.g. per-question accuracy of several models).
public struct BarChart: Sendable {
    /// One bar in every category, in one colour.
    public struct Group: Sendable {
        public var name: String
        /// One value per category; NaN leaves the bar out.
        public var values: [Double]
        /// Half-length of an error bar per category.
        public var errors: [Double]?
        public var color: RGBColor?

        public init(name: String, values: [Double], errors: [Double]? = nil, color: RGBColor? = nil) {
            self.name = name
            self.values = values
            self.errors = errors
            self.color = color
        }
    }

    public var categories: [String]
    public var groups: [Group]
    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// Fixed value range; nil fits the bars (and zero) to nice ticks.
    public var yRange: ClosedRange<Double>?
    /// Print each bar's value above it.
    public var showValues: Bool
    /// Decimals of printed values.
    public var valueDecimals: Int
    public var legend: LegendPosition
    public var width: Int
    public var height: Int
    public var style: PlotStyle

    public init(categories: [String], groups: [Group], title: String = "", xLabel: String = "", yLabel: String = "",
                yRange: ClosedRange<Double>? = nil, showValues: Bool = false, valueDecimals: Int = 2,
                legend: LegendPosition = .above, width: Int = 800, height: Int = 500, style: PlotStyle = .standard) {
        self.categories = categories
        self.groups = groups
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.yRange = yRange
        self.showValues = showValues
        self.valueDecimals = valueDecimals
        self.legend = legend
        self.width = width
        self.height = height
        self.style = style
    }

    /// The chart as a 3×height×width image.
    public func render() throws -> Image {
        try PlotError.checkSize("BarChart", width, height)
        for g in groups {
            guard g.values.count == categories.count else {
                throw PlotError.invalidData(plot: "BarChart", message: "group '\(g.name)' has \(g.values.count) values for \(categories.count) categories")
            }
            if let e = g.errors, e.count != categories.count {
                throw PlotError.invalidData(plot: "BarChart", message: "group '\(g.name)' has \(e.count) error values for \(categories.count) categories")
            }
        }
        let showLegend = groups.count > 1 || groups.contains(where: { !$0.name.isEmpty })
        let legendBox = Legend(entries: showLegend ? groups.enumerated().map { gi, g in
            Legend.Entry(label: g.name, swatch: .box(color: g.color ?? RGBColor.series(gi)))
        } : [], style: style)
        let reserve = legend == .above ? legendBox.stripHeight(canvasWidth: width) : 0
        let xt = AxisTicks.categorical(categories), yt = yTicks()
        func layout(rotated: Bool) -> Axes {
            Axes(width: width, height: height, title: title, xLabel: xLabel, yLabel: yLabel,
                 x: xt, y: yt, style: style, rotateXLabels: rotated, topReserve: reserve)
        }
        var axes = layout(rotated: false)
        let slot = Double(axes.area.width) / Double(max(1, categories.count))
        let widest = categories.map { BitmapFont.inkWidth(of: $0, scale: style.textScale) }.max() ?? 0
        if Double(widest) > slot - 6 { axes = layout(rotated: true) }
        guard axes.isUsable else {
            throw PlotError.invalidSize(plot: "BarChart", width: width, height: height, message: "no room left for the bars after labels")
        }
        var canvas = Canvas(width: width, height: height, background: style.background)
        axes.drawGrid(on: &canvas, vertical: false)
        canvas.clip = axes.area
        let n = max(1, groups.count)
        let slotWidth = Double(axes.area.width - 1) / Double(max(1, categories.count))
        let barWidth = slotWidth * 0.8 / Double(n)
        let base = axes.py(max(axes.y.lower, min(0, axes.y.upper)))
        for (gi, g) in groups.enumerated() {
            let color = g.color ?? RGBColor.series(gi)
            for (ci, v) in g.values.enumerated() where v.isFinite {
                let center = axes.px(Double(ci)) + (Double(gi) - Double(n - 1) / 2) * barWidth
                let x0 = center - barWidth / 2 + 0.5, x1 = center + barWidth / 2 - 0.5
                let top = axes.py(v)
                canvas.fillRect(x0: x0, y0: min(top, base), x1: x1, y1: max(top, base), color: color)
                if let e = g.errors?[ci], e.isFinite, e > 0 {
                    let lo = axes.py(v - e), hi = axes.py(v + e), cap = max(2, barWidth * 0.2)
                    canvas.drawLine(x0: center, y0: lo, x1: center, y1: hi, color: style.text, width: 1.5)
                    canvas.drawLine(x0: center - cap, y0: lo, x1: center + cap, y1: lo, color: style.text, width: 1.5)
                    canvas.drawLine(x0: center - cap, y0: hi, x1: center + cap, y1: hi, color: style.text, width: 1.5)
                }
                if showValues {
                    canvas.clip = canvas.bounds
                    defer { canvas.clip = axes.area }
                    drawValue(v, error: g.errors?[ci] ?? 0, center: center, barWidth: barWidth, axes: axes, on: &canvas)
                }
            }
        }
        if axes.y.lower < 0 && axes.y.upper > 0 {
            canvas.fillRect(PixelRect(x: axes.area.x, y: Int(base.rounded()), width: axes.area.width, height: 1), color: style.frame)
        }
        axes.drawFrame(on: &canvas)
        legendBox.draw(on: &canvas, in: axes.area, position: legend, stripTop: axes.reserveTop)
        return canvas.image
    }

    /// The value printed just beyond the end of its bar (and error bar), at the largest
    /// text scale that fits the bar's width; left out when even the smallest doesn't fit.
    private func drawValue(_ v: Double, error: Double, center: Double, barWidth: Double, axes: Axes, on canvas: inout Canvas) {
        let text = String(format: "%.\(max(0, min(valueDecimals, 6)))f", v)
        guard let scale = stride(from: style.textScale, through: 1, by: -1).first(where: {
            Double(BitmapFont.inkWidth(of: text, scale: $0)) <= barWidth + 4
        }) else { return }
        let reach = error.isFinite ? abs(error) : 0
        let end = v >= 0 ? axes.py(v + reach) : axes.py(v - reach)
        let y = v >= 0 ? Int(end.rounded()) - 3 : Int(end.rounded()) + 3
        canvas.drawText(text, x: Int(center.rounded()), y: y, color: style.text, scale: scale,
                        anchor: v >= 0 ? TextAnchor(.center, .baseline) : .topCenter)
    }

    private func yTicks() -> AxisTicks {
        let target = style.tickTarget(pixels: height, vertical: true)
        if let r = yRange { return .linear(min: r.lowerBound, max: r.upperBound, targetCount: target) }
        var lo = 0.0, hi = 0.0
        for g in groups {
            for (ci, v) in g.values.enumerated() where v.isFinite {
                let e = g.errors.map { $0[ci].isFinite ? abs($0[ci]) : 0 } ?? 0
                lo = min(lo, v - e)
                hi = max(hi, v + e)
            }
        }
        if showValues {
            // Headroom for the printed values above the tallest bar.
            let span = hi - lo
            if hi > 0 { hi += span * 0.08 }
            if lo < 0 { lo -= span * 0.08 }
        }
        return .linear(min: lo, max: hi, targetCount: target)
    }
}
