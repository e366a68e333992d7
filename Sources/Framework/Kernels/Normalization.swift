import Foundation

/// The kernels shared by batch, group and layer normalisation.
///
/// The input is viewed as `rows = outer × channels` rows of `inner` contiguous elements.
/// Every element belongs to one statistics group (normalised with that group's mean and
/// variance) and has one affine parameter (weight, bias). The three layouts cover the ops:
///
/// | op | outer, channels, inner | group of element (a, c, b) | parameter |
/// |---|---|---|---|
/// | batch norm | N, C, H·W | c | c |
/// | group norm | N, C, H·W | a·G + c / (C/G) | c |
/// | layer norm (trailing D) | M, 1, D | a | b |
/// | layer norm 2d | N, C, H·W | a·H·W + b | c |
///
/// Sums run in Float within a row and in Double across rows; parallel chunks each reduce
/// into their own Double scratch, summed afterwards in chunk order, so results are
/// deterministic for a given thread count.
struct Normalization {
    enum Layout {
        /// Row (a, c) lies wholly in group `a·groupsPerOuter + c / channelsPerGroup`; one
        /// parameter per channel.
        case rowGroups(groupsPerOuter: Int, channelsPerGroup: Int)
        /// Each row is its own group; parameters run along the row.
        case rowIsGroup
        /// Each column (a, b) is a group across the channels; one parameter per channel.
        case columnGroups
    }

    let layout: Layout
    let outer: Int
    let channels: Int
    let inner: Int

    var rows: Int { outer * channels }
    var count: Int { rows * inner }

    /// Number of statistics groups.
    var groupCount: Int {
        switch layout {
        case let .rowGroups(perOuter, perGroup): return perOuter == 0 ? channels / perGroup : outer * perOuter
        case .rowIsGroup: return rows
        case .columnGroups: return outer * inner
        }
    }

    /// Number of elements in each group.
    var groupSize: Int { count / max(1, groupCount) }

    /// Number of affine parameters.
    var parameterCount: Int {
        if case .rowIsGroup = layout { return inner }
        return channels
    }

    /// The group of row r (of its first element, for `columnGroups`).
    @inline(__always)
    func group(ofRow r: Int) -> Int {
        switch layout {
        case let .rowGroups(perOuter, perGroup): return (r / channels) &* perOuter &+ (r % channels) / perGroup
        case .rowIsGroup: return r
        case .columnGroups: return (r / channels) &* inner
        }
    }

    /// Splits the rows into chunks of at least ~32k elements, runs `body` on each in
    /// parallel with its own zeroed scratch of `width` Doubles, and returns the scratches
    /// summed in chunk order.
    func reduceRows(width: Int, _ body: (_ start: Int, _ end: Int, _ acc: UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        let rows = self.rows
        let chunks = max(1, min(Parallel.threads, rows, count / 32768))
        var scratch = [Double](repeating: 0, count: chunks * width)
        scratch.withUnsafeMutableBufferPointer { s in
            let base = s.baseAddress!
            Parallel.chunks(chunks) { c0, c1 in
                for c in c0..<c1 { body(rows * c / chunks, rows * (c + 1) / chunks, base + c * width) }
            }
        }
        if chunks == 1 { return scratch }
        var total = [Double](scratch[0..<width])
        for c in 1..<chunks { for i in 0..<width { total[i] += scratch[c * width + i] } }
        return total
    }

    /// Runs `body` over the rows in parallel chunks (for element-wise passes).
    func forEachRows(_ body: (_ start: Int, _ end: Int) -> Void) {
        Parallel.chunks(rows, minChunk: max(1, 32768 / max(1, inner)), body)
    }

    // MARK: - Statistics

    /// Per-group mean and biased variance of `x`, in Double.
    func moments(_ x: [Float]) -> (mean: [Double], variance: [Double]) {
        let g = groupCount, n = inner
        let sums = x.withUnsafeBufferPointer { px in
            reduceRows(width: 2 * g) { start, end, acc in
                let p = px.baseAddress!
                if case .columnGroups = layout {
                    // Float sums relative to the run's first row, folded into Double per run.
                    rowRuns(start, end, runRows: channels, add: { r, first, fs, fq in
                        let row = p + r &* n, k = p + first &* n
                        for b in 0..<n {
                            let v = row[b] - k[b]
                            fs[b] += v
                            fq[b] += v * v
                        }
                    }, flush: { first, rows, fs, fq in
                        let grp = group(ofRow: first), k = p + first &* n, dn = Double(rows)
                        for b in 0..<n {
                            let dk = Double(k[b]), ds = Double(fs[b])
                            acc[grp &+ b] += ds + dn * dk
                            acc[g &+ grp &+ b] += Double(fq[b]) + 2 * dk * ds + dn * dk * dk
                        }
                    })
                    return
                }
                for r in start..<end {
                    let (s, q) = Normalization.shiftedSums(p + r &* n, n)
                    let grp = group(ofRow: r)
                    acc[grp] += s
                    acc[g &+ grp] += q
                }
            }
        }
        let m = Double(groupSize)
        var mean = [Double](repeating: 0, count: g), variance = [Double](repeating: 0, count: g)
        for i in 0..<g {
            mean[i] = sums[i] / m
            variance[i] = max(0, sums[g + i] / m - mean[i] * mean[i])
        }
        return (mean, variance)
    }

    /// Σx and Σx² of a row, in Double. The row is summed in Float relative to its first
    /// element, which keeps Float cancellation down to the spread of the row, not its offset.
    /// (The reductions here are spelled out in eight independent lanes, which is what lets a
    /// Float sum vectorise; passing the terms as closures defeated inlining in the kernels.)
    @inline(__always)
    static func shiftedSums(_ p: UnsafePointer<Float>, _ n: Int) -> (Double, Double) {
        guard n > 0 else { return (0, 0) }
        let k = p[0]
        var s8 = SIMD8<Float>(), q8 = SIMD8<Float>()
        var i = 0
        while i &+ 8 <= n {
            let v = load8(p, i) - k
            s8 += v
            q8 += v * v
            i &+= 8
        }
        var s = s8.sum(), q = q8.sum()
        while i < n { let v = p[i] - k; s += v; q += v * v; i &+= 1 }
        let dk = Double(k), ds = Double(s), dn = Double(n)
        return (ds + dn * dk, Double(q) + 2 * dk * ds + dn * dk * dk)
    }

    /// Walks rows [start, end) in runs that end at multiples of `runRows`, letting
    /// `add(row, firstRowOfRun, a, b)` add into two zeroed Float accumulators of `inner`
    /// columns and `flush(firstRowOfRun, rowsInRun, a, b)` fold them into Double. Short runs
    /// keep Float sums accurate while the per-element work stays in Float.
    func rowRuns(_ start: Int, _ end: Int, runRows: Int,
                 add: (Int, Int, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void,
                 flush: (Int, Int, UnsafePointer<Float>, UnsafePointer<Float>) -> Void) {
        let n = inner
        var scratch = [Float](repeating: 0, count: 2 * n)
        scratch.withUnsafeMutableBufferPointer { sp in
            let fa = sp.baseAddress!, fb = fa + n
            var first = start
            while first < end {
                let runEnd = min(end, (first / runRows + 1) * runRows)
                sp.update(repeating: 0)
                for r in first..<runEnd { add(r, first, fa, fb) }
                flush(first, runEnd - first, fa, fb)
                first = runEnd
            }
        }
    }

    /// (Σ w·dy, Σ w·dy·(x − mean)) over a row, with w = 1 when `weight` is nil. Spelled out
    /// in eight independent lanes, which is what lets a Float reduction vectorise.
    @inline(__always)
    static func gradientSums(_ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int, mean: Float,
                             weight: UnsafePointer<Float>? = nil) -> (Float, Float) {
        var a8 = SIMD8<Float>(), b8 = SIMD8<Float>()
        var i = 0, sa: Float = 0, sb: Float = 0
        if let w = weight {
            while i &+ 8 <= n {
                let t = load8(w, i) * load8(dy, i)
                a8 += t
                b8 += t * (load8(x, i) - mean)
                i &+= 8
            }
            while i < n { sa += w[i] * dy[i]; sb += w[i] * dy[i] * (x[i] - mean); i &+= 1 }
        } else {
            while i &+ 8 <= n {
                let t = load8(dy, i)
                a8 += t
                b8 += t * (load8(x, i) - mean)
                i &+= 8
            }
            while i < n { sa += dy[i]; sb += dy[i] * (x[i] - mean); i &+= 1 }
        }
        return (a8.sum() + sa, b8.sum() + sb)
    }

    /// (Σ dy, Σ dy·(x − mean)·rstd) over a row with a mean and rstd per element.
    @inline(__always)
    static func gradientSums(_ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int,
                             means: UnsafePointer<Float>, rstds: UnsafePointer<Float>) -> (Float, Float) {
        var a8 = SIMD8<Float>(), b8 = SIMD8<Float>()
        var i = 0, sa: Float = 0, sb: Float = 0
        while i &+ 8 <= n {
            let t = load8(dy, i)
            a8 += t
            b8 += t * (load8(x, i) - load8(means, i)) * load8(rstds, i)
            i &+= 8
        }
        while i < n { sa += dy[i]; sb += dy[i] * (x[i] - means[i]) * rstds[i]; i &+= 1 }
        return (a8.sum() + sa, b8.sum() + sb)
    }

    @inline(__always)
    static func load8(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD8<Float> {
        UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
    }

    // MARK: - Forward

    /// y = (x − mean)·rstd·weight + bias, per group and parameter (nil weight = 1, nil bias = 0).
    func apply(_ x: [Float], mean: [Float], rstd: [Float], weight: [Float]?, bias: [Float]?) -> [Float] {
        let n = inner, cs = channels, g = groupCount, pc = parameterCount
        // Packed so that the kernel takes three pointers: mean | rstd and weight | bias.
        let stats = mean + rstd
        let params = (weight ?? [Float](repeating: 1, count: pc)) + (bias ?? [Float](repeating: 0, count: pc))
        var out = [Float](repeating: 0, count: count)
        x.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { po in
                stats.withUnsafeBufferPointer { ps in
                    params.withUnsafeBufferPointer { pp in
                        forEachRows { start, end in
                            let pm = ps.baseAddress!, pr = pm + g, pw = pp.baseAddress!, pb = pw + pc
                            for r in start..<end {
                                let xi = px.baseAddress! + r &* n, yo = po.baseAddress! + r &* n
                                let grp = group(ofRow: r), c = r % cs
                                switch layout {
                                case .rowGroups:
                                    let s = pr[grp] * pw[c], t = pb[c] - pm[grp] * s
                                    for b in 0..<n { yo[b] = xi[b] * s + t }
                                case .rowIsGroup:
                                    let mu = pm[grp], rs = pr[grp]
                                    for b in 0..<n { yo[b] = (xi[b] - mu) * rs * pw[b] + pb[b] }
                                case .columnGroups:
                                    let wc = pw[c], bc = pb[c]
                                    for b in 0..<n { yo[b] = (xi[b] - pm[grp &+ b]) * pr[grp &+ b] * wc + bc }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    // MARK: - Backward

    /// Gradients of `apply` with respect to x, weight and bias.
    ///
    /// With `constantStatistics` (batch norm in eval mode) the mean and rstd are constants:
    /// dx = dy·w·rstd. Otherwise they are functions of x and, per group of m elements,
    /// dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) with dx̂ = dy·w and x̂ = (x − mean)·rstd.
    func backward(_ x: [Float], _ dy: [Float], mean: [Float], rstd: [Float], weight: [Float]?,
                  constantStatistics: Bool, needInput: Bool) -> (dx: [Float]?, dWeight: [Float], dBias: [Float]) {
        let n = inner, cs = channels, g = groupCount, pc = parameterCount
        let w = weight ?? [Float](repeating: 1, count: pc)
        let stats = mean + rstd
        // Scratch layout: S1 = Σdx̂ [g], S2 = Σdx̂·x̂ [g], dW [pc], dB [pc].
        let o2 = g, oW = 2 * g, oB = 2 * g + pc
        let sums = x.withUnsafeBufferPointer { px in
            dy.withUnsafeBufferPointer { pd in
                stats.withUnsafeBufferPointer { ps in
                    w.withUnsafeBufferPointer { pw in
                        reduceRows(width: 2 * g + 2 * pc) { start, end, acc in
                            let pm = ps.baseAddress!, pr = pm + g, wp = pw.baseAddress!
                            switch layout {
                            case .rowGroups:
                                for r in start..<end {
                                    let xi = px.baseAddress! + r &* n, di = pd.baseAddress! + r &* n
                                    let grp = group(ofRow: r), c = r % cs
                                    // Σdy and Σdy·(x − μ) give every sum of the row.
                                    let (sdy, dyx) = Normalization.gradientSums(di, xi, n, mean: pm[grp])
                                    let rs = Double(pr[grp]), wc = Double(pw[c])
                                    acc[oB &+ c] += Double(sdy)
                                    acc[oW &+ c] += rs * Double(dyx)
                                    acc[grp] += wc * Double(sdy)
                                    acc[o2 &+ grp] += wc * rs * Double(dyx)
                                }
                            case .rowIsGroup:
                                // dW, dB run along the row: Float over runs of 64 rows, then Double.
                                rowRuns(start, end, runRows: 64, add: { r, _, fw, fb in
                                    let xi = px.baseAddress! + r &* n, di = pd.baseAddress! + r &* n
                                    let mu = pm[r], rs = pr[r]
                                    for b in 0..<n {
                                        let d = di[b]
                                        fw[b] += d * (xi[b] - mu) * rs
                                        fb[b] += d
                                    }
                                    let (s1, s2) = Normalization.gradientSums(di, xi, n, mean: mu, weight: wp)
                                    acc[r] += Double(s1)
                                    acc[o2 &+ r] += Double(s2) * Double(rs)
                                }, flush: { _, _, fw, fb in
                                    for b in 0..<n {
                                        acc[oW &+ b] += Double(fw[b])
                                        acc[oB &+ b] += Double(fb[b])
                                    }
                                })
                            case .columnGroups:
                                // S1, S2 run along the row: Float over one sample's channels, then Double.
                                rowRuns(start, end, runRows: cs, add: { r, _, f1, f2 in
                                    let xi = px.baseAddress! + r &* n, di = pd.baseAddress! + r &* n
                                    let grp = group(ofRow: r), c = r % cs, wc = pw[c]
                                    let m = pm + grp, rsj = pr + grp
                                    for b in 0..<n {
                                        let t = wc * di[b]
                                        f1[b] += t
                                        f2[b] += t * (xi[b] - m[b]) * rsj[b]
                                    }
                                    let (sdy, sdyx) = Normalization.gradientSums(di, xi, n, means: m, rstds: rsj)
                                    acc[oW &+ c] += Double(sdyx)
                                    acc[oB &+ c] += Double(sdy)
                                }, flush: { first, _, f1, f2 in
                                    let grp = group(ofRow: first)
                                    for b in 0..<n {
                                        acc[grp &+ b] += Double(f1[b])
                                        acc[o2 &+ grp &+ b] += Double(f2[b])
                                    }
                                })
                            }
                        }
                    }
                }
            }
        }
        let dW = (0..<pc).map { Float(sums[oW + $0]) }
        let dB = (0..<pc).map { Float(sums[oB + $0]) }
        guard needInput else { return (nil, dW, dB) }

        // dx = rstd·w·dy − a − (x − mean)·rstd²·c per group, with a = rstd·S1/m, c = S2/m.
        let m = Float(groupSize)
        var coef = stats + [Float](repeating: 0, count: 2 * g)
        if !constantStatistics {
            for i in 0..<g {
                coef[2 * g + i] = rstd[i] * Float(sums[i]) / m
                coef[3 * g + i] = rstd[i] * rstd[i] * Float(sums[o2 + i]) / m
            }
        }
        var dx = [Float](repeating: 0, count: count)
        x.withUnsafeBufferPointer { px in
            dy.withUnsafeBufferPointer { pd in
                dx.withUnsafeMutableBufferPointer { po in
                    coef.withUnsafeBufferPointer { pk in
                        w.withUnsafeBufferPointer { pw in
                            forEachRows { start, end in
                                let pm = pk.baseAddress!, pr = pm + g, pa = pr + g, pc2 = pa + g
                                for r in start..<end {
                                    let xi = px.baseAddress! + r &* n, di = pd.baseAddress! + r &* n
                                    let out = po.baseAddress! + r &* n
                                    let grp = group(ofRow: r), c = r % cs
                                    switch layout {
                                    case .rowGroups:
                                        // Linear in dy and x within the row.
                                        let sd = pr[grp] * pw[c], k = pc2[grp], t = k * pm[grp] - pa[grp]
                                        for b in 0..<n { out[b] = di[b] * sd - xi[b] * k + t }
                                    case .rowIsGroup:
                                        let rs = pr[grp], mu = pm[grp], a = pa[grp], k = pc2[grp]
                                        for b in 0..<n { out[b] = rs * pw[b] * di[b] - a - (xi[b] - mu) * k }
                                    case .columnGroups:
                                        let wc = pw[c]
                                        for b in 0..<n {
                                            let j = grp &+ b
                                            out[b] = pr[j] * wc * di[b] - pa[j] - (xi[b] - pm[j]) * pc2[j]
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dx, dW, dB)
    }
}
