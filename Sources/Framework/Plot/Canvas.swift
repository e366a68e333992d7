/// An RGB raster that charts draw on, with anti-aliased lines, shapes and bitmap text.
///
/// Coordinates are continuous with pixel centres on integers: pixel (i, j) spans
/// [i − ½, i + ½] × [j − ½, j + ½], so a 1-px line along y = 10 fills exactly row 10.
/// Shapes are composited with alpha over what is already there; nothing outside `clip`
/// is ever touched.
public struct Canvas: Sendable {
    public let width: Int
    public let height: Int
    /// Planar RGB, as `Image` stores it: the red plane, then green, then blue.
    public internal(set) var pixels: [Float]
    /// Drawing outside this rectangle is discarded (the whole canvas by default).
    public var clip: PixelRect

    /// A canvas filled with `background`.
    public init(width: Int, height: Int, background: RGBColor = .white) {
        precondition(width > 0 && height > 0, "Canvas: size \(width)×\(height)")
        self.width = width
        self.height = height
        let plane = width * height
        pixels = [Float](repeating: 0, count: 3 * plane)
        clip = PixelRect(x: 0, y: 0, width: width, height: height)
        fill(background)
    }

    /// The canvas as a 3×H×W image.
    public var image: Image { Image(channels: 3, height: height, width: width, pixels: pixels) }

    /// The whole canvas as a rectangle.
    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }

    /// The colour of one pixel.
    public func color(x: Int, y: Int) -> RGBColor {
        let i = y * width + x, plane = width * height
        return RGBColor(red: pixels[i], green: pixels[plane + i], blue: pixels[2 * plane + i])
    }

    /// Paints every pixel inside `clip` with `color`.
    public mutating func fill(_ color: RGBColor) {
        fillRect(clip, color: color)
    }

    // MARK: - Compositing

    /// Blends `color` over pixel (x, y) with opacity `alpha`; ignored outside `clip`.
    public mutating func blendPixel(x: Int, y: Int, color: RGBColor, alpha: Float = 1) {
        guard clip.contains(x: x, y: y), alpha > 0 else { return }
        let i = y * width + x, plane = width * height
        let a = min(alpha, 1), b = 1 - a
        pixels[i] = pixels[i] * b + color.red * a
        pixels[plane + i] = pixels[plane + i] * b + color.green * a
        pixels[2 * plane + i] = pixels[2 * plane + i] * b + color.blue * a
    }

    /// Blends `color` over every pixel of the mask, weighted by its coverage.
    mutating func composite(_ mask: CoverageMask, color: RGBColor, alpha: Float) {
        let r = mask.rect
        guard !r.isEmpty, alpha > 0 else { return }
        let w = width, plane = width * height
        let cr = color.red, cg = color.green, cb = color.blue, a = min(alpha, 1)
        pixels.withUnsafeMutableBufferPointer { p in
            mask.values.withUnsafeBufferPointer { m in
                for row in 0..<r.height {
                    let src = row &* r.width
                    let dst = (r.y &+ row) &* w &+ r.x
                    for col in 0..<r.width {
                        let c = m[src &+ col] * a
                        if c <= 0 { continue }
                        let i = dst &+ col, b = 1 - c
                        p[i] = p[i] * b + cr * c
                        p[plane &+ i] = p[plane &+ i] * b + cg * c
                        p[2 &* plane &+ i] = p[2 &* plane &+ i] * b + cb * c
                    }
                }
            }
        }
    }

    /// The pixel block around the given continuous coordinates, grown by `reach`.
    func reachRect(_ xs: [Double], _ ys: [Double], reach: Double) -> PixelRect? {
        guard let minX = xs.min(), let maxX = xs.max(), let minY = ys.min(), let maxY = ys.max(),
              minX.isFinite, maxX.isFinite, minY.isFinite, maxY.isFinite else { return nil }
        let lim = 1e7
        let x0 = Int(max(-lim, min(lim, minX - reach)).rounded(.down))
        let x1 = Int(max(-lim, min(lim, maxX + reach)).rounded(.up))
        let y0 = Int(max(-lim, min(lim, minY - reach)).rounded(.down))
        let y1 = Int(max(-lim, min(lim, maxY + reach)).rounded(.up))
        let r = PixelRect(x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1).intersection(clip)
        return r.isEmpty ? nil : r
    }

    // MARK: - Rectangles

    /// Fills whole pixels.
    public mutating func fillRect(_ rect: PixelRect, color: RGBColor, alpha: Float = 1) {
        let r = rect.intersection(clip)
        guard !r.isEmpty, alpha > 0 else { return }
        var m = CoverageMask(rect: r)
        for k in m.values.indices { m.values[k] = 1 }
        composite(m, color: color, alpha: alpha)
    }

    /// Fills the continuous box [x0, x1] × [y0, y1], with partial coverage at its edges.
    public mutating func fillRect(x0: Double, y0: Double, x1: Double, y1: Double, color: RGBColor, alpha: Float = 1) {
        let lx = min(x0, x1), hx = max(x0, x1), ly = min(y0, y1), hy = max(y0, y1)
        guard let r = reachRect([lx, hx], [ly, hy], reach: 0.5) else { return }
        var m = CoverageMask(rect: r)
        for row in 0..<r.height {
            let py = Double(r.y + row)
            let cy = max(0, min(hy, py + 0.5) - max(ly, py - 0.5))
            if cy <= 0 { continue }
            for col in 0..<r.width {
                let px = Double(r.x + col)
                let cx = max(0, min(hx, px + 0.5) - max(lx, px - 0.5))
                m.values[row * r.width + col] = Float(min(cx * cy, 1))
            }
        }
        composite(m, color: color, alpha: alpha)
    }

    /// Outlines whole pixels: a frame `lineWidth` pixels thick just inside `rect`.
    public mutating func strokeRect(_ rect: PixelRect, color: RGBColor, lineWidth: Int = 1) {
        let t = max(1, min(lineWidth, rect.width / 2 + 1, rect.height / 2 + 1))
        fillRect(PixelRect(x: rect.x, y: rect.y, width: rect.width, height: t), color: color)
        fillRect(PixelRect(x: rect.x, y: rect.maxY - t + 1, width: rect.width, height: t), color: color)
        fillRect(PixelRect(x: rect.x, y: rect.y + t, width: t, height: rect.height - 2 * t), color: color)
        fillRect(PixelRect(x: rect.maxX - t + 1, y: rect.y + t, width: t, height: rect.height - 2 * t), color: color)
    }

    // MARK: - Lines

    /// An anti-aliased straight line with round ends.
    public mutating func drawLine(x0: Double, y0: Double, x1: Double, y1: Double,
                                  color: RGBColor, width: Double = 1, alpha: Float = 1) {
        drawPolyline([(x0, y0), (x1, y1)], color: color, width: width, alpha: alpha)
    }

    /// Connected line segments, composited once so joints are not darker than the line.
    /// A `dash` pattern [on, off, …] in pixels breaks the line into dashes. Points with a
    /// non-finite coordinate break the line into separate runs.
    public mutating func drawPolyline(_ points: [(x: Double, y: Double)], color: RGBColor,
                                      width: Double = 1, dash: [Double]? = nil, alpha: Float = 1) {
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
        guard !finite.isEmpty,
              let r = reachRect(finite.map(\.x), finite.map(\.y), reach: width / 2 + 1) else { return }
        var m = CoverageMask(rect: r)
        let pattern = (dash ?? []).filter { $0 > 0 }
        var dashIndex = 0, dashLeft = pattern.first ?? 0, on = true
        for k in 1..<max(points.count, 1) {
            let a = points[k - 1], b = points[k]
            guard a.x.isFinite, a.y.isFinite, b.x.isFinite, b.y.isFinite else { continue }
            if pattern.count < 2 {
                m.addSegment(a.x, a.y, b.x, b.y, width: width)
                continue
            }
            // Walk the segment, spending the dash pattern along its length.
            let len = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
            var t = 0.0
            while t < len {
                let step = min(dashLeft, len - t)
                if on {
                    let u0 = t / len, u1 = (t + step) / len
                    m.addSegment(a.x + (b.x - a.x) * u0, a.y + (b.y - a.y) * u0,
                                 a.x + (b.x - a.x) * u1, a.y + (b.y - a.y) * u1, width: width)
                }
                t += step
                dashLeft -= step
                if dashLeft <= 1e-9 {
                    dashIndex = (dashIndex + 1) % pattern.count
                    dashLeft = pattern[dashIndex]
                    on.toggle()
                }
            }
        }
        if points.count == 1 { m.addSegment(finite[0].x, finite[0].y, finite[0].x, finite[0].y, width: width) }
        composite(m, color: color, alpha: alpha)
    }

    // MARK: - Areas and markers

    /// A filled polygon (even–odd rule) with anti-aliased edges, e.g. a shaded band.
    public mutating func fillPolygon(_ points: [(x: Double, y: Double)], color: RGBColor, alpha: Float = 1) {
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
        guard finite.count >= 3, let r = reachRect(finite.map(\.x), finite.map(\.y), reach: 1) else { return }
        var m = CoverageMask(rect: r)
        m.addPolygon(finite)
        composite(m, color: color, alpha: alpha)
    }

    /// A filled anti-aliased disc.
    public mutating func fillCircle(x: Double, y: Double, radius: Double, color: RGBColor, alpha: Float = 1) {
        guard let r = reachRect([x], [y], reach: radius + 1) else { return }
        var m = CoverageMask(rect: r)
        m.addCircle(x, y, radius: radius)
        composite(m, color: color, alpha: alpha)
    }

    /// An anti-aliased circle outline.
    public mutating func strokeCircle(x: Double, y: Double, radius: Double, color: RGBColor,
                                      width: Double = 1, alpha: Float = 1) {
        guard let r = reachRect([x], [y], reach: radius + width / 2 + 1) else { return }
        var m = CoverageMask(rect: r)
        m.addCircle(x, y, radius: radius, ringWidth: width)
        composite(m, color: color, alpha: alpha)
    }

    /// A data-point marker of about `size` pixels across, centred on (x, y).
    public mutating func drawMarker(_ marker: Marker, x: Double, y: Double, size: Double = 7,
                                    color: RGBColor, alpha: Float = 1) {
        let h = size / 2
        switch marker {
        case .circle:
            fillCircle(x: x, y: y, radius: h, color: color, alpha: alpha)
        case .square:
            fillRect(x0: x - h * 0.9, y0: y - h * 0.9, x1: x + h * 0.9, y1: y + h * 0.9, color: color, alpha: alpha)
        case .triangle:
            fillPolygon([(x, y - h * 1.1), (x + h * 1.05, y + h * 0.8), (x - h * 1.05, y + h * 0.8)], color: color, alpha: alpha)
        case .diamond:
            fillPolygon([(x, y - h * 1.2), (x + h, y), (x, y + h * 1.2), (x - h, y)], color: color, alpha: alpha)
        }
    }
}

