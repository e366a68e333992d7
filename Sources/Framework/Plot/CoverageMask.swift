/// Per-pixel coverage in [0, 1] over a block of a canvas, built up by shapes and then
/// composited once, so that overlapping pieces of one shape (polyline joints, dashes, marker
/// outlines) never darken twice.
///
/// Coordinates are continuous with pixel centres on integers: pixel (i, j) spans
/// [i − ½, i + ½] × [j − ½, j + ½].
struct CoverageMask {
    /// The pixels this mask covers (already inside the canvas and its clip).
    let rect: PixelRect
    /// `rect.width × rect.height` coverages, row after row.
    var values: [Float]

    init(rect: PixelRect) {
        self.rect = rect
        values = [Float](repeating: 0, count: rect.width * rect.height)
    }

    /// Pixels whose centres lie within `reach` of the box spanned by the given coordinates,
    /// intersected with this mask; nil when nothing is left or a coordinate is not finite.
    private func span(_ xs: [Double], _ ys: [Double], reach: Double) -> (x0: Int, x1: Int, y0: Int, y1: Int)? {
        guard let minX = xs.min(), let maxX = xs.max(), let minY = ys.min(), let maxY = ys.max(),
              minX.isFinite, maxX.isFinite, minY.isFinite, maxY.isFinite else { return nil }
        let x0 = max(rect.x, Int((minX - reach).rounded(.up)))
        let x1 = min(rect.maxX, Int((maxX + reach).rounded(.down)))
        let y0 = max(rect.y, Int((minY - reach).rounded(.up)))
        let y1 = min(rect.maxY, Int((maxY + reach).rounded(.down)))
        guard x0 <= x1, y0 <= y1 else { return nil }
        return (x0, x1, y0, y1)
    }

    /// Clamps a coordinate far outside the canvas so that Int conversion can't trap.
    private static func tame(_ v: Double) -> Double { min(max(v, -1e7), 1e7) }

    /// A straight stroke of the given width with round ends; coverage falls off linearly
    /// over one pixel at the edge (anti-aliasing).
    mutating func addSegment(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double, width: Double) {
        let ax = Self.tame(ax), ay = Self.tame(ay), bx = Self.tame(bx), by = Self.tame(by)
        let half = max(width, 0.5) / 2
        guard let s = span([ax, bx], [ay, by], reach: half + 0.5) else { return }
        let dx = bx - ax, dy = by - ay
        let len2 = dx * dx + dy * dy
        let w = rect.width, ox = rect.x, oy = rect.y
        values.withUnsafeMutableBufferPointer { v in
            for py in s.y0...s.y1 {
                let row = (py &- oy) &* w &- ox
                // Columns of this row the stroke can reach, so long diagonals stay cheap.
                var cx0 = s.x0, cx1 = s.x1
                if abs(dy) > 1e-9 && abs(dx) > 1e-9 {
                    let t = (Double(py) - ay) / dy
                    let xc = ax + t * dx
                    let slack = (half + 1) * (len2.squareRoot() / abs(dy))
                    cx0 = max(cx0, Int((xc - slack).rounded(.down)))
                    cx1 = min(cx1, Int((xc + slack).rounded(.up)))
                }
                if cx0 > cx1 { continue }
                for px in cx0...cx1 {
                    let qx = Double(px) - ax, qy = Double(py) - ay
                    var t = len2 > 0 ? (qx * dx + qy * dy) / len2 : 0
                    t = min(max(t, 0), 1)
                    let ex = qx - t * dx, ey = qy - t * dy
                    let d = (ex * ex + ey * ey).squareRoot()
                    let c = Float(min(max(half + 0.5 - d, 0), 1))
                    let i = row &+ px
                    if c > v[i] { v[i] = c }
                }
            }
        }
    }

    /// A filled disc, or with `ringWidth` only its outline.
    mutating func addCircle(_ cx: Double, _ cy: Double, radius: Double, ringWidth: Double? = nil) {
        let cx = Self.tame(cx), cy = Self.tame(cy)
        let outer = radius + (ringWidth ?? 0) / 2
        guard radius > 0, let s = span([cx], [cy], reach: outer + 0.5) else { return }
        let w = rect.width, ox = rect.x, oy = rect.y
        values.withUnsafeMutableBufferPointer { v in
            for py in s.y0...s.y1 {
                let row = (py &- oy) &* w &- ox
                for px in s.x0...s.x1 {
                    let ex = Double(px) - cx, ey = Double(py) - cy
                    let d = (ex * ex + ey * ey).squareRoot()
                    let cov: Double
                    if let rw = ringWidth {
                        cov = rw / 2 + 0.5 - abs(d - radius)
                    } else {
                        cov = radius + 0.5 - d
                    }
                    let c = Float(min(max(cov, 0), 1))
                    let i = row &+ px
                    if c > v[i] { v[i] = c }
                }
            }
        }
    }

    /// A filled polygon (even–odd rule), anti-aliased with four sub-rows per pixel row and
    /// exact horizontal coverage.
    mutating func addPolygon(_ points: [(x: Double, y: Double)]) {
        guard points.count >= 3 else { return }
        let pts = points.map { (x: Self.tame($0.x), y: Self.tame($0.y)) }
        guard let s = span(pts.map(\.x), pts.map(\.y), reach: 0.5) else { return }
        let n = pts.count
        var scratch = [Float](repeating: 0, count: s.x1 - s.x0 + 1)
        var crossings: [Double] = []
        let w = rect.width, ox = rect.x, oy = rect.y
        for py in s.y0...s.y1 {
            for k in 0..<scratch.count { scratch[k] = 0 }
            for sub in 0..<4 {
                let y = Double(py) - 0.375 + 0.25 * Double(sub)
                crossings.removeAll(keepingCapacity: true)
                for e in 0..<n {
                    let a = pts[e], b = pts[(e + 1) % n]
                    // Half-open in y so a vertex shared by two edges counts once.
                    if (a.y <= y && b.y > y) || (b.y <= y && a.y > y) {
                        crossings.append(a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x))
                    }
                }
                crossings.sort()
                var k = 0
                while k + 1 < crossings.count {
                    let xa = crossings[k], xb = crossings[k + 1]
                    let i0 = max(s.x0, Int((xa + 0.5).rounded(.down)))
                    let i1 = min(s.x1, Int((xb + 0.5).rounded(.up)))
                    if i0 <= i1 {
                        for i in i0...i1 {
                            let overlap = min(xb, Double(i) + 0.5) - max(xa, Double(i) - 0.5)
                            if overlap > 0 { scratch[i - s.x0] += Float(overlap * 0.25) }
                        }
                    }
                    k += 2
                }
            }
            let row = (py - oy) * w - ox
            for px in s.x0...s.x1 {
                let c = min(scratch[px - s.x0], 1)
                if c > values[row + px] { values[row + px] = c }
            }
        }
    }
}
