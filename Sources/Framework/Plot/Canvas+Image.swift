extension Canvas {
    /// Draws `image` resampled to fill `rect`. One channel is shown as grey, three or more
    /// as RGB from the first three (two channels: the first, as grey); values are clamped to
    /// [0, 1] and NaN shows as black. Bilinear shrinking by more than 2× averages every input
    /// pixel under each output pixel instead, so that fine structure doesn't alias.
    public mutating func drawImage(_ image: Image, in rect: PixelRect, interpolation: Interpolation = .bilinear) {
        let r = rect.intersection(clip)
        guard !r.isEmpty, image.width > 0, image.height > 0, image.channels > 0 else { return }
        let sw = image.width, sh = image.height, splane = sw * sh
        let sources = image.channels >= 3 ? [0, 1, 2] : [0, 0, 0]
        let sx = Double(sw) / Double(rect.width), sy = Double(sh) / Double(rect.height)
        if interpolation == .bilinear && (sx > 2 || sy > 2) {
            drawImageAveraged(image, in: rect, visible: r, sources: sources)
            return
        }
        let w = width, plane = width * height
        // Source position of every destination column, computed once.
        let cols = (r.x...r.maxX).map { Self.sampleAt((Double($0 - rect.x) + 0.5) * sx - 0.5, size: sw, interpolation) }
        pixels.withUnsafeMutableBufferPointer { dst in
            image.pixels.withUnsafeBufferPointer { src in
                for py in r.y...r.maxY {
                    let (y0, y1, fy) = Self.sampleAt((Double(py - rect.y) + 0.5) * sy - 0.5, size: sh, interpolation)
                    let dRow = py &* w
                    for (k, px) in (r.x...r.maxX).enumerated() {
                        let (x0, x1, fx) = cols[k]
                        for c in 0..<3 {
                            let base = sources[c] &* splane
                            let a = src[base &+ y0 &* sw &+ x0], b = src[base &+ y0 &* sw &+ x1]
                            let cc = src[base &+ y1 &* sw &+ x0], d = src[base &+ y1 &* sw &+ x1]
                            let top = a + (b - a) * fx, bottom = cc + (d - cc) * fx
                            let v = top + (bottom - top) * fy
                            dst[c &* plane &+ dRow &+ px] = v.isNaN ? 0 : min(max(v, 0), 1)
                        }
                    }
                }
            }
        }
    }

    /// Box-filter resampling: each output pixel is the mean of the input pixels it covers
    /// (NaN pixels skipped).
    private mutating func drawImageAveraged(_ image: Image, in rect: PixelRect, visible r: PixelRect, sources: [Int]) {
        let sw = image.width, sh = image.height, splane = sw * sh
        let sx = Double(sw) / Double(rect.width), sy = Double(sh) / Double(rect.height)
        func span(_ i: Int, _ scale: Double, _ size: Int) -> (Int, Int) {
            let a = min(Int((Double(i) * scale).rounded(.down)), size - 1)
            return (a, max(a + 1, min(Int((Double(i + 1) * scale).rounded(.up)), size)))
        }
        let w = width, plane = width * height
        pixels.withUnsafeMutableBufferPointer { dst in
            image.pixels.withUnsafeBufferPointer { src in
                for py in r.y...r.maxY {
                    let (y0, y1) = span(py - rect.y, sy, sh)
                    for px in r.x...r.maxX {
                        let (x0, x1) = span(px - rect.x, sx, sw)
                        for c in 0..<3 {
                            let base = sources[c] &* splane
                            var sum: Float = 0, n: Float = 0
                            for yy in y0..<y1 {
                                let row = base &+ yy &* sw
                                for xx in x0..<x1 {
                                    let v = src[row &+ xx]
                                    if !v.isNaN { sum += v; n += 1 }
                                }
                            }
                            let v = n > 0 ? sum / n : 0
                            dst[c &* plane &+ py &* w &+ px] = min(max(v, 0), 1)
                        }
                    }
                }
            }
        }
    }

    /// The two source indices to blend and the weight of the second, for a continuous
    /// source position (nearest: the same index twice).
    private static func sampleAt(_ position: Double, size: Int, _ interpolation: Interpolation) -> (Int, Int, Float) {
        switch interpolation {
        case .nearest:
            let i = min(max(Int((position + 0.5).rounded(.down)), 0), size - 1)
            return (i, i, 0)
        case .bilinear:
            let p = min(max(position, 0), Double(size - 1))
            let i0 = Int(p.rounded(.down)), i1 = min(i0 + 1, size - 1)
            return (i0, i1, Float(p - Double(i0)))
        }
    }
}
