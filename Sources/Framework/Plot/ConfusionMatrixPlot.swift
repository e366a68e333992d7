import Foundation

/// A confusion matrix as a heatmap: rows are true classes, columns predicted ones, each cell
/// shaded by its share of the row (or by its count) and labelled with its count, with a
/// colour bar.
public struct ConfusionMatrixPlot: Sendable {
    /// `matrix[true][predicted]` counts, as `ClassificationMetrics.confusion` holds them.
    public var matrix: [[Int]]
    /// One name per class; empty uses the class indices.
    public var classNames: [String]
    public var title: String
    /// Shade by the fraction of the true class (recall per cell) instead of the raw count,
    /// and print that percentage under the count when there's room.
    public var normalizeRows: Bool
    public var colorMap: ColorMap
    public var width: Int
    public var height: Int
    public var style: PlotStyle

    public init(matrix: [[Int]], classNames: [String] = [], title: String = "Confusion matrix",
                normalizeRows: Bool = true, colorMap: ColorMap = .blues,
                width: Int = 800, height: Int = 500, style: PlotStyle = .standard) {
        self.matrix = matrix
        self.classNames = classNames
        self.title = title
        self.normalizeRows = normalizeRows
        self.colorMap = colorMap
        self.width = width
        self.height = height
        self.style = style
    }

    /// Most classes the chart lays out.
    public static let maxClasses = 100

    /// Where the parts of the chart go on the canvas.
    struct Layout {
        /// Side of one cell in pixels.
        var cell: Int
        /// Top-left pixel of cell [0][0].
        var gridX: Int
        var gridY: Int
        /// Column names read upwards (they don't fit under their cells).
        var rotateNames: Bool
        var nameWidth: Int
        var names: [String]
        /// Largest shade value (1 for fractions, the top count otherwise).
        var maxValue: Double
        var barTicks: AxisTicks
        var barWidth: Int

        /// Pixels of cell [row][column].
        func cellRect(_ row: Int, _ column: Int) -> PixelRect {
            PixelRect(x: gridX + column * cell, y: gridY + row * cell, width: cell, height: cell)
        }
    }

    /// Checks the data and lays the chart out.
    func layout() throws -> Layout {
        try PlotError.checkSize("ConfusionMatrixPlot", width, height)
        let k = matrix.count
        guard k >= 1, k <= Self.maxClasses else {
            throw PlotError.invalidData(plot: "ConfusionMatrixPlot", message: "\(k) classes; expected 1 to \(Self.maxClasses)")
        }
        for (r, row) in matrix.enumerated() {
            guard row.count == k else {
                throw PlotError.invalidData(plot: "ConfusionMatrixPlot", message: "row \(r) has \(row.count) columns; the matrix must be \(k)×\(k)")
            }
            if let bad = row.firstIndex(where: { $0 < 0 }) {
                throw PlotError.invalidData(plot: "ConfusionMatrixPlot", message: "cell [\(r)][\(bad)] is negative (\(row[bad]))")
            }
        }
        guard classNames.isEmpty || classNames.count == k else {
            throw PlotError.invalidData(plot: "ConfusionMatrixPlot", message: "\(classNames.count) class names for \(k) classes")
        }
        let names = classNames.isEmpty ? (0..<k).map(String.init) : classNames
        let maxValue = normalizeRows ? 1 : Double(matrix.joined().max() ?? 0)
        let barTicks = AxisTicks.linear(min: 0, max: max(maxValue, 1), targetCount: 5)
        let s = style.textScale, pad = style.padding, gap = 4 * s
        let charHeight = BitmapFont.cellHeight * s
        let nameWidth = names.map { BitmapFont.inkWidth(of: $0, scale: s) }.max() ?? 0
        let barLabelWidth = barTicks.labels.map { BitmapFont.inkWidth(of: $0, scale: s) }.max() ?? 0
        let barWidth = 6 * s + 4
        let right = pad + barLabelWidth + gap + style.tickLength + barWidth + 3 * gap
        let top = pad + (title.isEmpty ? 0 : BitmapFont.cellHeight * style.titleScale + 2 * gap)
        let left = pad + charHeight + gap + nameWidth + gap
        let provisional = min(width - left - right, height - top - pad - 2 * charHeight - 3 * gap) / k
        let rotate = nameWidth > provisional - 4
        let bottom = pad + charHeight + gap + (rotate ? nameWidth : charHeight) + gap
        let cell = min(width - left - right, height - top - bottom) / k
        guard cell >= 4 else {
            throw PlotError.invalidSize(plot: "ConfusionMatrixPlot", width: width, height: height,
                                        message: "no room for \(k)×\(k) cells after labels")
        }
        // Centre the block of names, cells and colour bar.
        return Layout(cell: cell, gridX: left + max(0, (width - left - right - cell * k) / 2), gridY: top,
                      rotateNames: rotate, nameWidth: nameWidth, names: names, maxValue: maxValue,
                      barTicks: barTicks, barWidth: barWidth)
    }

    /// The chart as a 3×height×width image.
    public func render() throws -> Image {
        let L = try layout()
        let k = matrix.count, values = shades()
        let s = style.textScale, pad = style.padding, gap = 4 * s
        let charHeight = BitmapFont.cellHeight * s
        let side = L.cell * k, gx = L.gridX, gy = L.gridY
        var canvas = Canvas(width: width, height: height, background: style.background)
        for r in 0..<k {
            for c in 0..<k {
                let t = L.maxValue > 0 ? Float(values[r][c] / L.maxValue) : 0
                let shade = colorMap.color(at: t)
                let box = L.cellRect(r, c)
                canvas.fillRect(box, color: shade)
                drawCellText(r, c, in: box, shade: shade, on: &canvas)
            }
        }
        canvas.strokeRect(PixelRect(x: gx, y: gy, width: side, height: side).insetBy(-1), color: style.frame)
        for i in 0..<k {
            let mid = i * L.cell + L.cell / 2
            canvas.drawText(L.names[i], x: gx - gap, y: gy + mid, color: style.text, scale: s, anchor: .middleRight)
            canvas.drawText(L.names[i], x: gx + mid, y: gy + side + gap, color: style.text, scale: s,
                            anchor: .topCenter, rotated: L.rotateNames)
        }
        // Axis names sit just outside the class names, not at the canvas edges.
        canvas.drawText("true class", x: max(pad, gx - 2 * gap - L.nameWidth - charHeight), y: gy + side / 2,
                        color: style.text, scale: s, anchor: TextAnchor(.left, .middle), rotated: true)
        canvas.drawText("predicted class", x: gx + side / 2, y: gy + side + 2 * gap + (L.rotateNames ? L.nameWidth : charHeight),
                        color: style.text, scale: s, anchor: .topCenter)
        if !title.isEmpty {
            canvas.drawText(title, x: width / 2, y: pad, color: style.text, scale: style.titleScale, anchor: .topCenter)
        }
        drawColorBar(x: gx + side + 3 * gap, y: gy, width: L.barWidth, height: side, ticks: L.barTicks,
                     maxValue: L.maxValue, on: &canvas)
        return canvas.image
    }

    /// The value each cell is shaded by: its share of the row, or its count.
    private func shades() -> [[Double]] {
        matrix.map { row in
            let total = row.reduce(0, +)
            return row.map { normalizeRows ? (total > 0 ? Double($0) / Double(total) : 0) : Double($0) }
        }
    }

    /// The count (and, if normalised and there's room, the row percentage) centred in a
    /// cell, in white on dark shades; at the largest scale that fits.
    private func drawCellText(_ r: Int, _ c: Int, in box: PixelRect, shade: RGBColor, on canvas: inout Canvas) {
        let count = String(matrix[r][c])
        let total = matrix[r].reduce(0, +)
        let percent = normalizeRows && total > 0 ? String(format: "%.0f%%", 100 * Double(matrix[r][c]) / Double(total)) : nil
        let color = shade.luminance < 0.45 ? RGBColor.white : style.text
        for scale in stride(from: style.textScale, through: 1, by: -1) {
            guard BitmapFont.inkWidth(of: count, scale: scale) <= box.width - 4,
                  BitmapFont.capHeight * scale <= box.height - 4 else { continue }
            let cx = box.x + box.width / 2, cy = box.y + box.height / 2
            let lineHeight = BitmapFont.lineHeight * scale
            if let p = percent, BitmapFont.inkWidth(of: p, scale: scale) <= box.width - 4, 2 * lineHeight <= box.height - 4 {
                canvas.drawText(count, x: cx, y: cy - lineHeight / 2, color: color, scale: scale, anchor: .center)
                canvas.drawText(p, x: cx, y: cy + lineHeight / 2, color: color.mixed(with: shade, 0.3), scale: scale, anchor: .center)
            } else {
                canvas.drawText(count, x: cx, y: cy, color: color, scale: scale, anchor: .center)
            }
            return
        }
    }

    /// A vertical gradient from the colour of 0 (bottom) to that of the largest value (top),
    /// with the ticks that fall inside it.
    private func drawColorBar(x: Int, y: Int, width: Int, height: Int, ticks: AxisTicks, maxValue: Double,
                              on canvas: inout Canvas) {
        let top = maxValue > 0 ? maxValue : 1
        for row in 0..<height {
            let t = 1 - Float(row) / Float(max(1, height - 1))
            canvas.fillRect(PixelRect(x: x, y: y + row, width: width, height: 1), color: colorMap.color(at: t))
        }
        canvas.strokeRect(PixelRect(x: x - 1, y: y - 1, width: width + 2, height: height + 2), color: style.frame)
        for (v, label) in zip(ticks.values, ticks.labels) where v <= top * (1 + 1e-9) {
            let yy = y + height - 1 - Int((v / top * Double(height - 1)).rounded())
            canvas.fillRect(PixelRect(x: x + width + 1, y: yy, width: style.tickLength, height: 1), color: style.frame)
            canvas.drawText(label, x: x + width + 2 + style.tickLength + 2 * style.textScale, y: yy,
                            color: style.text, scale: style.textScale, anchor: .middleLeft)
        }
    }
}
