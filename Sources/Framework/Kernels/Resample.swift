/// Where each output row or column of an image resize reads from, computed as PyTorch's
/// `upsample_nearest2d` and `upsample_bilinear2d` do (in Float, so sizes that round the
/// same way in PyTorch round the same way here), and the plane loops that use them.
enum Resample {
    /// PyTorch 'nearest': `min(floor(dst · (in/out)), in − 1)`.
    static func nearest(input: Int, output: Int) -> [Int] {
        if input == output { return Array(0..<output) }
        let scale = Float(input) / Float(output)
        return (0..<output).map { min(Int((Float($0) * scale).rounded(.down)), input - 1) }
    }

    /// The two source indices and their weights for linear interpolation along one axis.
    struct Taps {
        var lo: [Int] = [], hi: [Int] = []
        var wLo: [Float] = [], wHi: [Float] = []
    }

    /// PyTorch 'linear' source positions: `src = scale·dst` with aligned corners
    /// (`scale = (in−1)/(out−1)`), otherwise `src = (in/out)·(dst + ½) − ½` clamped at 0.
    static func linear(input: Int, output: Int, alignCorners: Bool) -> Taps {
        let scale: Float = alignCorners
            ? (output > 1 ? Float(input - 1) / Float(output - 1) : 0)
            : Float(input) / Float(output)
        var t = Taps()
        for d in 0..<output {
            let src = alignCorners ? scale * Float(d) : max(scale * (Float(d) + 0.5) - 0.5, 0)
            let lo = min(Int(src.rounded(.down)), input - 1)
            let frac = min(max(src - Float(lo), 0), 1)
            t.lo.append(lo)
            t.hi.append(lo < input - 1 ? lo + 1 : lo)
            t.wLo.append(1 - frac)
            t.wHi.append(frac)
        }
        return t
    }

    /// `y[p][i][j] = x[p][rows[i]][cols[j]]` for `planes` planes.
    static func nearestForward(planes: Int, height: Int, width: Int, rows: [Int], cols: [Int],
                               input x: UnsafePointer<Float>, output y: UnsafeMutablePointer<Float>) {
        let oh = rows.count, ow = cols.count
        rows.withUnsafeBufferPointer { r in
            cols.withUnsafeBufferPointer { c in
                Parallel.planes(planes, elementsPerPlane: oh * ow) { p in
                    let src = x + p &* height &* width, dst = y + p &* oh &* ow
                    for i in 0..<oh {
                        let s = src + r[i] &* width, d = dst + i &* ow
                        for j in 0..<ow { d[j] = s[c[j]] }
                    }
                }
            }
        }
    }

    /// The adjoint of `nearestForward`: `dx` (cleared by the caller) gathers every output
    /// gradient that copied from it.
    static func nearestBackward(planes: Int, height: Int, width: Int, rows: [Int], cols: [Int],
                                outputGrad dy: UnsafePointer<Float>, inputGrad dx: UnsafeMutablePointer<Float>) {
        let oh = rows.count, ow = cols.count
        rows.withUnsafeBufferPointer { r in
            cols.withUnsafeBufferPointer { c in
                Parallel.planes(planes, elementsPerPlane: oh * ow) { p in
                    let dst = dx + p &* height &* width, src = dy + p &* oh &* ow
                    for i in 0..<oh {
                        let d = dst + r[i] &* width, s = src + i &* ow
                        for j in 0..<ow { d[c[j]] += s[j] }
                    }
                }
            }
        }
    }

    /// Bilinear interpolation of `planes` planes, weighted as PyTorch does:
    /// `wLo_r·(wLo_c·x₀₀ + wHi_c·x₀₁) + wHi_r·(wLo_c·x₁₀ + wHi_c·x₁₁)`. With `adjoint`, the
    /// transpose instead: each output gradient is spread onto its four sources (which the
    /// caller cleared).
    static func bilinear(planes: Int, height: Int, width: Int, rows: Taps, cols: Taps, adjoint: Bool,
                         source: UnsafePointer<Float>, target: UnsafeMutablePointer<Float>) {
        let oh = rows.lo.count, ow = cols.lo.count
        withPointers(rows, cols) { r, c in
            Parallel.planes(planes, elementsPerPlane: oh * ow) { p in
                // The image side is the forward pass's source and the adjoint's target.
                let image = p &* height &* width, resized = p &* oh &* ow
                for i in 0..<oh {
                    let top = r.lo[i] &* width, bottom = r.hi[i] &* width
                    let a = r.wLo[i], b = r.wHi[i]
                    for j in 0..<ow {
                        let j0 = c.lo[j], j1 = c.hi[j], u = c.wLo[j], v = c.wHi[j]
                        if adjoint {
                            let g = source[resized &+ i &* ow &+ j], t = target + image
                            t[top &+ j0] += a * u * g
                            t[top &+ j1] += a * v * g
                            t[bottom &+ j0] += b * u * g
                            t[bottom &+ j1] += b * v * g
                        } else {
                            let s = source + image
                            target[resized &+ i &* ow &+ j] = a * (u * s[top &+ j0] + v * s[top &+ j1])
                                + b * (u * s[bottom &+ j0] + v * s[bottom &+ j1])
                        }
                    }
                }
            }
        }
    }

    /// Taps as raw pointers for the plane loops.
    struct TapPointers {
        let lo, hi: UnsafePointer<Int>
        let wLo, wHi: UnsafePointer<Float>
    }

    static func withPointers<R>(_ rows: Taps, _ cols: Taps, _ body: (TapPointers, TapPointers) -> R) -> R {
        func pointers<S>(_ t: Taps, _ inner: (TapPointers) -> S) -> S {
            t.lo.withUnsafeBufferPointer { lo in t.hi.withUnsafeBufferPointer { hi in
                t.wLo.withUnsafeBufferPointer { wl in t.wHi.withUnsafeBufferPointer { wh in
                    inner(TapPointers(lo: lo.baseAddress!, hi: hi.baseAddress!, wLo: wl.baseAddress!, wHi: wh.baseAddress!))
                } }
            } }
        }
        return pointers(rows) { r in pointers(cols) { c in body(r, c) } }
    }
}
