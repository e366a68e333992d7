/// A list of series names with a sample of how each is drawn: boxed in a corner of the plot
/// area, or as a strip of rows above it.
struct Legend {
    /// How an entry's sample looks.
    enum Swatch {
        case line(color: RGBColor, width: Double, dash: [Double]?, marker: Marker?, band: Bool)
        case box(color: RGBColor)
    }

    struct Entry {
        var label: String
        var swatch: Swatch
    }

    var entries: [Entry]
    var style: PlotStyle

    private var sampleLength: Int { 14 * style.textScale + 6 }
    private var rowHeight: Int { BitmapFont.lineHeight * style.textScale }
    private var inner: Int { 4 * style.textScale }
    private var textHeight: Int { BitmapFont.cellHeight * style.textScale }

    /// Width of one entry: sample, gap, label.
    private func entryWidth(_ e: Entry) -> Int {
        sampleLength + inner + BitmapFont.inkWidth(of: e.label, scale: style.textScale)
    }

    /// Size of the boxed legend.
    var boxSize: (width: Int, height: Int) {
        (2 * inner + (entries.map(entryWidth).max() ?? 0),
         2 * inner + rowHeight * max(0, entries.count - 1) + textHeight)
    }

    /// Entries per line of a strip no wider than `maxWidth`.
    func stripLines(maxWidth: Int) -> [[Int]] {
        var lines: [[Int]] = [], current: [Int] = [], used = 0
        let spacing = 4 * inner
        for (k, e) in entries.enumerated() {
            let w = entryWidth(e)
            if !current.isEmpty && used + spacing + w > maxWidth {
                lines.append(current)
                current = []
                used = 0
            }
            used += (current.isEmpty ? 0 : spacing) + w
            current.append(k)
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// Widest a strip may be on a canvas of the given width.
    func stripWidth(canvasWidth: Int) -> Int { canvasWidth - 2 * style.padding }

    /// Rows a strip needs above the plot area on a canvas of the given width (0 when there
    /// is nothing to show).
    func stripHeight(canvasWidth: Int) -> Int {
        let n = stripLines(maxWidth: stripWidth(canvasWidth: canvasWidth)).count
        return n == 0 ? 0 : rowHeight * (n - 1) + textHeight
    }

    /// Draws the legend for `area`. Corners: `.auto` picks the one whose box covers the
    /// fewest already-inked pixels (darker than the grid). `.above`: centred rows starting
    /// at row `stripTop`, in the band the chart reserved.
    func draw(on canvas: inout Canvas, in area: PixelRect, position: LegendPosition, stripTop: Int = 0) {
        guard !entries.isEmpty, position != .hidden else { return }
        canvas.clip = canvas.bounds
        if position == .above {
            let spacing = 4 * inner
            for (n, line) in stripLines(maxWidth: stripWidth(canvasWidth: canvas.width)).enumerated() {
                let total = line.map { entryWidth(entries[$0]) }.reduce(0, +) + spacing * (line.count - 1)
                var x = max(style.padding, min(area.x + (area.width - total) / 2, canvas.width - style.padding - total))
                for k in line {
                    drawEntry(entries[k], x: x, top: stripTop + n * rowHeight, on: &canvas)
                    x += entryWidth(entries[k]) + spacing
                }
            }
            return
        }
        let (w, h) = boxSize
        let margin = 2 * style.textScale + 4
        func rect(_ p: LegendPosition) -> PixelRect {
            let left = p == .upperLeft || p == .lowerLeft
            let upper = p == .upperLeft || p == .upperRight
            return PixelRect(x: left ? area.x + margin : area.maxX - margin - w + 1,
                             y: upper ? area.y + margin : area.maxY - margin - h + 1, width: w, height: h)
        }
        var chosen = position
        if position == .auto {
            let corners: [LegendPosition] = [.upperRight, .upperLeft, .lowerRight, .lowerLeft]
            chosen = corners.min { inkCount(canvas, rect($0)) < inkCount(canvas, rect($1)) } ?? .upperRight
        }
        let box = rect(chosen)
        canvas.fillRect(box, color: style.background, alpha: 0.92)
        canvas.strokeRect(box, color: style.grid.mixed(with: style.frame, 0.4))
        for (k, entry) in entries.enumerated() {
            drawEntry(entry, x: box.x + inner, top: box.y + inner + k * rowHeight, on: &canvas)
        }
    }

    /// One sample and its label, the label's capitals starting at row `top`.
    private func drawEntry(_ entry: Entry, x: Int, top: Int, on canvas: inout Canvas) {
        let s = style.textScale
        let mid = Double(top + BitmapFont.capHeight * s / 2)
        let x0 = Double(x), x1 = Double(x + sampleLength)
        switch entry.swatch {
        case let .line(color, width, dash, marker, band):
            if band {
                canvas.fillRect(x0: x0, y0: mid - 3.5 * Double(s), x1: x1, y1: mid + 3.5 * Double(s),
                                color: color, alpha: style.bandAlpha)
            }
            if width > 0 { canvas.drawPolyline([(x0, mid), (x1, mid)], color: color, width: width, dash: dash) }
            if let m = marker { canvas.drawMarker(m, x: (x0 + x1) / 2, y: mid, size: style.markerSize, color: color) }
        case let .box(color):
            canvas.fillRect(PixelRect(x: x + 2, y: top, width: sampleLength - 4, height: BitmapFont.capHeight * s), color: color)
        }
        canvas.drawText(entry.label, x: x + sampleLength + inner, y: top, color: style.text, scale: s, anchor: .topLeft)
    }

    /// Pixels in `rect` noticeably darker than the grid colour.
    private func inkCount(_ canvas: Canvas, _ rect: PixelRect) -> Int {
        let r = rect.intersection(canvas.bounds)
        guard !r.isEmpty else { return Int.max }
        let threshold = style.grid.luminance - 0.05
        var n = 0
        for yy in r.y...r.maxY {
            for xx in r.x...r.maxX where canvas.color(x: xx, y: yy).luminance < threshold { n += 1 }
        }
        return n
    }
}
