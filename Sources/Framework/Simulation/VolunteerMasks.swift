import Foundation

/// Galaxy Zoo 3D-style soft masks: simulated volunteers who noticed a feature each draw a
/// noisy, simplified polygon around every region of its true support, and the mask is the
/// fraction of all volunteers whose polygons cover each pixel (Masters et al. 2021: ~15
/// volunteers per galaxy, each drawing bars and arms as polygons).
///
/// A volunteer notices the feature with the probability the volunteer model gives its
/// visibility; the drawing is the region's outline (Moore boundary tracing), simplified
/// (Douglas–Peucker with a tolerance of 0.7–2 pixels), scaled about the region's centre by
/// a few per cent, shifted by about half a pixel, and each vertex jittered.
enum VolunteerMasks {
    /// The soft mask of `support` (1×S×S, 0/1) for `volunteers` volunteers who each notice
    /// the feature with probability `visibility`.
    static func draw(support: Image, visibility: Double, volunteers: Int, rng: inout RandomGenerator) -> Image {
        let w = support.width, h = support.height
        var out = Image(channels: 1, height: h, width: w)
        guard volunteers > 0 else { return out }
        let regions = self.regions(of: support).filter { $0.count >= 3 }
        let outlines = regions.map { region -> (outline: [(Double, Double)], centre: (Double, Double)) in
            let n = Double(region.count)
            let cx = region.reduce(0.0) { $0 + Double($1 % w) + 0.5 } / n, cy = region.reduce(0.0) { $0 + Double($1 / w) + 0.5 } / n
            return (trace(region, width: w, height: h), (cx, cy))
        }
        let share = 1 / Float(volunteers)
        for _ in 0..<volunteers {
            // Every volunteer draws the same number of random numbers, noticed or not, so one
            // volunteer's choice never shifts another's drawing.
            let noticed = rng.uniformDouble() < min(1, max(0, visibility))
            let tolerance = 0.7 + 1.3 * rng.uniformDouble()
            let scale = exp(0.08 * rng.normalDouble())
            let dx = 0.5 * rng.normalDouble(), dy = 0.5 * rng.normalDouble()
            var covered = [Bool](repeating: false, count: w * h)
            for (outline, centre) in outlines {
                let simple = simplify(outline, tolerance: tolerance)
                let polygon = simple.map { p in
                    (centre.0 + (p.0 - centre.0) * scale + dx + 0.4 * rng.normalDouble(),
                     centre.1 + (p.1 - centre.1) * scale + dy + 0.4 * rng.normalDouble())
                }
                if noticed { fill(polygon, into: &covered, width: w, height: h) }
            }
            for k in covered.indices where covered[k] { out.pixels[k] += share }
        }
        return out
    }

    /// 8-connected regions of the pixels ≥ 0.5, each as its pixel indices.
    static func regions(of mask: Image) -> [[Int]] {
        let w = mask.width, h = mask.height
        var label = [Int](repeating: -1, count: w * h)
        var regions: [[Int]] = []
        for start in 0..<(w * h) where mask.pixels[start] >= 0.5 && label[start] < 0 {
            var stack = [start], members: [Int] = []
            label[start] = regions.count
            while let p = stack.popLast() {
                members.append(p)
                let x = p % w, y = p / w
                for ny in max(0, y - 1)...min(h - 1, y + 1) {
                    for nx in max(0, x - 1)...min(w - 1, x + 1) {
                        let q = ny * w + nx
                        if label[q] < 0 && mask.pixels[q] >= 0.5 { label[q] = regions.count; stack.append(q) }
                    }
                }
            }
            regions.append(members)
        }
        return regions
    }

    /// The outer boundary of a region as pixel centres in order (Moore-neighbour tracing,
    /// stopping when it is back at the start pixel: an outline is never traced twice, which
    /// would cancel itself under the even–odd fill).
    static func trace(_ region: [Int], width w: Int, height h: Int) -> [(Double, Double)] {
        let inside = Set(region)
        func fg(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < w && y < h && inside.contains(y * w + x) }
        // Clockwise on screen (y down), starting west.
        let dirs = [(-1, 0), (-1, -1), (0, -1), (1, -1), (1, 0), (1, 1), (0, 1), (-1, 1)]
        let s = region.min()!
        let start = (s % w, s / w)
        var c = start, back = 0   // index in `dirs` of the background neighbour entered from
        var outline = [(Double(start.0) + 0.5, Double(start.1) + 0.5)]
        for _ in 0..<(4 * region.count + 8) {
            var found: Int? = nil
            for k in 1...8 {
                let d = dirs[(back + k) % 8]
                if fg(c.0 + d.0, c.1 + d.1) { found = (back + k) % 8; break }
            }
            guard let f = found else { break }   // a single pixel
            let previous = (f + 7) % 8
            let pb = (c.0 + dirs[previous].0, c.1 + dirs[previous].1)
            c = (c.0 + dirs[f].0, c.1 + dirs[f].1)
            // The new backtrack: where the background neighbour `pb` lies as seen from `c`.
            back = dirs.firstIndex { $0.0 == pb.0 - c.0 && $0.1 == pb.1 - c.1 } ?? 0
            if c == start { break }
            outline.append((Double(c.0) + 0.5, Double(c.1) + 0.5))
        }
        return outline
    }

    /// Douglas–Peucker simplification of a closed outline.
    static func simplify(_ points: [(Double, Double)], tolerance: Double) -> [(Double, Double)] {
        guard points.count > 4 else { return points }
        // Split the loop at the point farthest from the first, simplify both halves.
        let far = points.indices.max { distance(points[$0], points[0]) < distance(points[$1], points[0]) }!
        let a = open(Array(points[0...far]), tolerance), b = open(Array(points[far...]) + [points[0]], tolerance)
        return a + b.dropFirst().dropLast()
    }

    static func open(_ p: [(Double, Double)], _ tolerance: Double) -> [(Double, Double)] {
        guard p.count > 2 else { return p }
        var worst = 0, worstDistance = 0.0
        for i in 1..<(p.count - 1) {
            let d = segmentDistance(p[i], p[0], p[p.count - 1])
            if d > worstDistance { worst = i; worstDistance = d }
        }
        guard worstDistance > tolerance else { return [p[0], p[p.count - 1]] }
        return open(Array(p[0...worst]), tolerance) + open(Array(p[worst...]), tolerance).dropFirst()
    }

    static func distance(_ a: (Double, Double), _ b: (Double, Double)) -> Double { hypot(a.0 - b.0, a.1 - b.1) }

    static func segmentDistance(_ p: (Double, Double), _ a: (Double, Double), _ b: (Double, Double)) -> Double {
        let vx = b.0 - a.0, vy = b.1 - a.1, len2 = vx * vx + vy * vy
        guard len2 > 0 else { return distance(p, a) }
        let t = min(1, max(0, ((p.0 - a.0) * vx + (p.1 - a.1) * vy) / len2))
        return distance(p, (a.0 + t * vx, a.1 + t * vy))
    }

    /// Marks the pixels whose centres are inside the polygon (even–odd) or within half a
    /// pixel of its edge: a drawn line covers the pixels it passes over.
    static func fill(_ polygon: [(Double, Double)], into covered: inout [Bool], width w: Int, height h: Int) {
        guard !polygon.isEmpty else { return }
        let xs = polygon.map(\.0), ys = polygon.map(\.1)
        let x0 = max(0, Int(floor(xs.min()! - 1))), x1 = min(w - 1, Int(ceil(xs.max()! + 1)))
        let y0 = max(0, Int(floor(ys.min()! - 1))), y1 = min(h - 1, Int(ceil(ys.max()! + 1)))
        guard x0 <= x1, y0 <= y1 else { return }
        let n = polygon.count
        for y in y0...y1 {
            for x in x0...x1 where !covered[y * w + x] {
                let p = (Double(x) + 0.5, Double(y) + 0.5)
                var inside = false, near = false
                for i in 0..<n {
                    let a = polygon[i], b = polygon[(i + 1) % n]
                    if (a.1 > p.1) != (b.1 > p.1), p.0 < a.0 + (p.1 - a.1) * (b.0 - a.0) / (b.1 - a.1) { inside.toggle() }
                    if !near, segmentDistance(p, a, b) <= 0.5 { near = true }
                }
                if inside || near { covered[y * w + x] = true }
            }
        }
    }
}
