/// The frame of a 2-D chart: where the plot area sits on the canvas, how data values map to
/// pixels, and the grid, ticks, tick labels, axis labels and title around it.
struct Axes {
    let x: AxisTicks
    let y: AxisTicks
    let title: String
    let xLabel: String
    let yLabel: String
    let style: PlotStyle
    /// Draw x tick labels reading upwards, for long category names.
    let rotateXLabels: Bool
    /// Plot area; data is drawn inside it, the frame just outside.
    let area: PixelRect

    /// First row of the band reserved above the plot area (for a legend strip).
    let reserveTop: Int
    /// Pixels between the frame and the ends of each axis (x, y), so that data at an axis
    /// limit is drawn whole instead of half-hidden by the frame.
    let inset: (x: Int, y: Int)

    /// Lays out the chart on a `width`×`height` canvas, leaving `topReserve` rows free between
    /// title and plot area (for a legend strip).
    init(width: Int, height: Int, title: String, xLabel: String, yLabel: String,
         x: AxisTicks, y: AxisTicks, style: PlotStyle, rotateXLabels: Bool = false, topReserve: Int = 0,
         inset: (x: Int, y: Int) = (0, 0)) {
        self.inset = inset
        self.x = x
        self.y = y
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.style = style
        self.rotateXLabels = rotateXLabels
        let s = style.textScale, pad = style.padding, gap = 4 * s
        let charHeight = BitmapFont.cellHeight * s
        let titleBottom = pad + (title.isEmpty ? 0 : BitmapFont.cellHeight * style.titleScale + gap)
        reserveTop = titleBottom
        let top = titleBottom + (topReserve > 0 ? topReserve + gap : (title.isEmpty ? BitmapFont.capHeight * s / 2 : gap))
        let yTickWidth = y.labels.map { BitmapFont.inkWidth(of: $0, scale: s) }.max() ?? 0
        let left = pad + (yLabel.isEmpty ? 0 : charHeight + gap) + yTickWidth + style.tickLength + gap
        let xTickHeight = rotateXLabels
            ? (x.labels.map { BitmapFont.inkWidth(of: $0, scale: s) }.max() ?? 0)
            : charHeight
        let bottom = pad + (xLabel.isEmpty ? 0 : charHeight + gap) + xTickHeight + style.tickLength + gap
        let lastHalf = rotateXLabels ? charHeight / 2 : BitmapFont.inkWidth(of: x.labels.last ?? "", scale: s) / 2
        let right = max(pad, lastHalf + 4)
        area = PixelRect(x: left, y: top, width: width - left - right, height: height - top - bottom)
    }

    /// Whether the plot area is large enough to draw anything useful.
    var isUsable: Bool { area.width >= 24 + 2 * inset.x && area.height >= 24 + 2 * inset.y }

    /// Pixel column of a data x value (NaN if it can't be placed).
    func px(_ v: Double) -> Double {
        guard let f = x.fraction(of: v) else { return .nan }
        return Double(area.x + inset.x) + f * Double(area.width - 1 - 2 * inset.x)
    }

    /// Pixel row of a data y value (NaN if it can't be placed); larger values are higher.
    func py(_ v: Double) -> Double {
        guard let f = y.fraction(of: v) else { return .nan }
        return Double(area.maxY - inset.y) - f * Double(area.height - 1 - 2 * inset.y)
    }

    /// Light grid lines at the ticks, behind the data.
    func drawGrid(on canvas: inout Canvas, vertical: Bool = true, horizontal: Bool = true) {
        canvas.clip = area
        let minorGrid = style.grid.mixed(with: style.background, 0.5)
        if vertical {
            for v in x.minorValues { vline(&canvas, px(v), minorGrid) }
            for v in x.values { vline(&canvas, px(v), style.grid) }
        }
        if horizontal {
            for v in y.minorValues { hline(&canvas, py(v), minorGrid) }
            for v in y.values { hline(&canvas, py(v), style.grid) }
        }
        canvas.clip = canvas.bounds
    }

    private func vline(_ canvas: inout Canvas, _ xv: Double, _ color: RGBColor) {
        guard xv.isFinite else { return }
        canvas.fillRect(PixelRect(x: Int(xv.rounded()), y: area.y, width: 1, height: area.height), color: color)
    }

    private func hline(_ canvas: inout Canvas, _ yv: Double, _ color: RGBColor) {
        guard yv.isFinite else { return }
        canvas.fillRect(PixelRect(x: area.x, y: Int(yv.rounded()), width: area.width, height: 1), color: color)
    }

    /// Frame, ticks, tick labels, axis labels and title, drawn over the data.
    func drawFrame(on canvas: inout Canvas) {
        canvas.clip = canvas.bounds
        let s = style.textScale, gap = 4 * s, tick = style.tickLength
        canvas.strokeRect(area.insetBy(-1), color: style.frame)
        for (v, label) in zip(x.values, x.labels) {
            let xv = px(v)
            guard xv.isFinite else { continue }
            let xi = Int(xv.rounded())
            canvas.fillRect(PixelRect(x: xi, y: area.maxY + 2, width: 1, height: tick), color: style.frame)
            let ly = area.maxY + 2 + tick + gap / 2
            canvas.drawText(label, x: xi, y: ly, color: style.text, scale: s,
                            anchor: rotateXLabels ? TextAnchor(.center, .top) : .topCenter, rotated: rotateXLabels)
        }
        for v in x.minorValues {
            let xv = px(v)
            guard xv.isFinite else { continue }
            canvas.fillRect(PixelRect(x: Int(xv.rounded()), y: area.maxY + 2, width: 1, height: tick / 2 + 1), color: style.frame)
        }
        for (v, label) in zip(y.values, y.labels) {
            let yv = py(v)
            guard yv.isFinite else { continue }
            let yi = Int(yv.rounded())
            canvas.fillRect(PixelRect(x: area.x - 1 - tick - 1, y: yi, width: tick, height: 1), color: style.frame)
            canvas.drawText(label, x: area.x - 2 - tick - gap, y: yi, color: style.text, scale: s, anchor: .middleRight)
        }
        for v in y.minorValues {
            let yv = py(v)
            guard yv.isFinite else { continue }
            canvas.fillRect(PixelRect(x: area.x - 1 - tick / 2 - 2, y: Int(yv.rounded()), width: tick / 2 + 1, height: 1), color: style.frame)
        }
        let midX = area.x + area.width / 2, midY = area.y + area.height / 2
        if !xLabel.isEmpty {
            canvas.drawText(xLabel, x: midX, y: canvas.height - style.padding, color: style.text, scale: s,
                            anchor: .bottomCenter)
        }
        if !yLabel.isEmpty {
            canvas.drawText(yLabel, x: style.padding, y: midY, color: style.text, scale: s,
                            anchor: TextAnchor(.left, .middle), rotated: true)
        }
        if !title.isEmpty {
            let ts = style.titleScale
            let w = BitmapFont.inkWidth(of: title, scale: ts)
            // Centre over the plot area, but keep the whole title on the canvas.
            let cx = min(max(midX, w / 2 + style.padding), canvas.width - w / 2 - style.padding)
            canvas.drawText(title, x: cx, y: style.padding, color: style.text, scale: ts, anchor: .topCenter)
        }
    }
}
