/// The input window of every output row and column of a 2-D pooling, and the plane kernels
/// that reduce over them (max with argmax, average) and scatter gradients back.
///
/// Windows are separable: output `(i, j)` reads rows `rowLo[i]..<rowHi[i]` and columns
/// `colLo[j]..<colHi[j]`, already clipped to the image; an average divides by
/// `rowDivisor[i]·colDivisor[j]`, which is where padding counts or not.
struct PoolWindows {
    var height: Int, width: Int
    var rowLo: [Int], rowHi: [Int], rowDivisor: [Int]
    var colLo: [Int], colHi: [Int], colDivisor: [Int]

    var outHeight: Int { rowLo.count }
    var outWidth: Int { colLo.count }

    /// One axis of a strided, padded window of size `kernel` (PyTorch's pooling windows): the
    /// clipped bounds, and the divisor with padding counted (`countPadding`) or not.
    static func sliding(size: Int, kernel: Int, stride: Int, padding: Int, countPadding: Bool)
        -> (lo: [Int], hi: [Int], divisor: [Int]) {
        let out = (size + 2 * padding - kernel) / stride + 1
        var lo: [Int] = [], hi: [Int] = [], divisor: [Int] = []
        for o in 0..<out {
            let start = o * stride - padding
            let end = min(start + kernel, size + padding)
            let a = max(start, 0), b = min(end, size)
            lo.append(a)
            hi.append(b)
            divisor.append(countPadding ? end - start : b - a)
        }
        return (lo, hi, divisor)
    }

    /// One axis of an adaptive pooling: bin `i` covers `floor(i·size/out)..<ceil((i+1)·size/out)`.
    static func adaptive(size: Int, out: Int) -> (lo: [Int], hi: [Int], divisor: [Int]) {
        let lo = (0..<out).map { $0 * size / out }
        let hi = (0..<out).map { (($0 + 1) * size + out - 1) / out }
        return (lo, hi, zip(lo, hi).map { $1 - $0 })
    }

    init(height: Int, width: Int, rows: (lo: [Int], hi: [Int], divisor: [Int]),
         columns: (lo: [Int], hi: [Int], divisor: [Int])) {
        self.height = height
        self.width = width
        (rowLo, rowHi, rowDivisor) = rows
        (colLo, colHi, colDivisor) = columns
    }

    /// Calls `body` with raw pointers to the six tables.
    func withTables<R>(_ body: (Tables) -> R) -> R {
        rowLo.withUnsafeBufferPointer { rl in rowHi.withUnsafeBufferPointer { rh in rowDivisor.withUnsafeBufferPointer { rd in
            colLo.withUnsafeBufferPointer { cl in colHi.withUnsafeBufferPointer { ch in colDivisor.withUnsafeBufferPointer { cd in
                body(Tables(rowLo: rl.baseAddress!, rowHi: rh.baseAddress!, rowDivisor: rd.baseAddress!,
                            colLo: cl.baseAddress!, colHi: ch.baseAddress!, colDivisor: cd.baseAddress!))
            } } }
        } } }
    }

    /// The tables as pointers, for the plane loops.
    struct Tables {
        let rowLo, rowHi, rowDivisor, colLo, colHi, colDivisor: UnsafePointer<Int>
    }

    /// Runs `body(tables, plane)` for `planes` NCHW planes, in parallel chunks.
    func forEachPlane(_ planes: Int, _ body: (Tables, Int) -> Void) {
        withTables { t in
            Parallel.planes(planes, elementsPerPlane: outHeight * outWidth) { p in body(t, p) }
        }
    }

    /// Max over each window of `planes` planes; `argmax` (if given) receives the in-plane
    /// index of the first maximum (a NaN wins, as in PyTorch).
    func maxForward(planes: Int, input x: UnsafePointer<Float>, output y: UnsafeMutablePointer<Float>,
                    argmax: UnsafeMutablePointer<Int32>?) {
        let h = height, w = width, oh = outHeight, ow = outWidth
        guard let argmax else {
            maxForwardSeparable(planes: planes, input: x, output: y)
            return
        }
        if isTwoByTwo {
            maxForwardTwoByTwo(planes: planes, input: x, output: y, argmax: argmax)
            return
        }
        forEachPlane(planes) { t, p in
            let src = x + p &* h &* w
            let base = p &* oh &* ow
            for i in 0..<oh {
                for j in 0..<ow {
                    // Which tap wins is data: a compare-and-branch per tap mispredicted so often
                    // that this loop was a tenth of a ResNet's inference. So take the maximum
                    // with `max` and a NaN flag, then find the winner's index.
                    var best = -Float.infinity, nan = false
                    for r in t.rowLo[i]..<t.rowHi[i] {
                        for c in t.colLo[j]..<t.colHi[j] {
                            let v = src[r &* w &+ c]
                            best = Swift.max(best, v)
                            nan = nan || v.isNaN
                        }
                    }
                    if nan { best = .nan }
                    y[base &+ i &* ow &+ j] = best
                    // Backwards with selects, so the first tap holding the maximum is kept.
                    var at = t.rowLo[i] &* w &+ t.colLo[j]
                    for r in (t.rowLo[i]..<t.rowHi[i]).reversed() {
                        for c in (t.colLo[j]..<t.colHi[j]).reversed() {
                            let v = src[r &* w &+ c], index = r &* w &+ c
                            at = v == best || (nan && v.isNaN) ? index : at
                        }
                    }
                    argmax[base &+ i &* ow &+ j] = Int32(truncatingIfNeeded: at)
                }
            }
        }
    }

    /// Whether every window is the 2×2 block at (2i, 2j): max-pool 2, stride 2, no padding,
    /// the pooling between the stages of small CNNs.
    var isTwoByTwo: Bool {
        func pairs(_ lo: [Int], _ hi: [Int]) -> Bool {
            lo.indices.allSatisfy { (o: Int) -> Bool in lo[o] == 2 * o && hi[o] == 2 * o + 2 }
        }
        return pairs(rowLo, rowHi) && pairs(colLo, colHi)
    }

    /// `maxForward` with argmax over 2×2 blocks, eight outputs at a time: the two input rows
    /// are split into even and odd columns, and the four taps are compared in row-major
    /// order with selects, keeping the first maximum and the first NaN as the general loop
    /// does. The general loop's two passes with table lookups per output were 7 % of a
    /// `zoobot_like` training step.
    func maxForwardTwoByTwo(planes: Int, input x: UnsafePointer<Float>, output y: UnsafeMutablePointer<Float>,
                            argmax: UnsafeMutablePointer<Int32>) {
        typealias Lanes = SIMD8<Float>
        let h = height, w = width, oh = outHeight, ow = outWidth
        // Later taps win where they are larger, or NaN where the best so far is not.
        @inline(__always)
        func update(_ m: inout Lanes, _ at: inout SIMD8<Int32>, _ v: Lanes, _ index: SIMD8<Int32>) {
            let take = (v .> m) .| ((v .!= v) .& (m .== m))
            m.replace(with: v, where: take)
            at.replace(with: index, where: take)
        }
        let lane = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14)
        Parallel.planes(planes, elementsPerPlane: oh &* ow) { p in
            let src = x + p &* h &* w, out = y + p &* oh &* ow, arg = argmax + p &* oh &* ow
            for i in 0..<oh {
                let top = src + (2 &* i &* w), bottom = top + w
                var j = 0
                while j &+ 8 <= ow {
                    let a = UnsafeRawPointer(top + (2 &* j)).loadUnaligned(as: SIMD16<Float>.self)
                    let b = UnsafeRawPointer(bottom + (2 &* j)).loadUnaligned(as: SIMD16<Float>.self)
                    let first = lane &+ Int32(truncatingIfNeeded: 2 &* i &* w &+ 2 &* j), below = Int32(truncatingIfNeeded: w)
                    var m = Lanes(a[0], a[2], a[4], a[6], a[8], a[10], a[12], a[14]), at = first
                    update(&m, &at, Lanes(a[1], a[3], a[5], a[7], a[9], a[11], a[13], a[15]), first &+ 1)
                    update(&m, &at, Lanes(b[0], b[2], b[4], b[6], b[8], b[10], b[12], b[14]), first &+ below)
                    update(&m, &at, Lanes(b[1], b[3], b[5], b[7], b[9], b[11], b[13], b[15]), first &+ below &+ 1)
                    UnsafeMutableRawPointer(out + (i &* ow &+ j)).storeBytes(of: m, as: Lanes.self)
                    UnsafeMutableRawPointer(arg + (i &* ow &+ j)).storeBytes(of: at, as: SIMD8<Int32>.self)
                    j &+= 8
                }
                while j < ow {
                    let c = 2 &* j, corner = 2 &* i &* w &+ c
                    var best = top[c], at = corner
                    @inline(__always) func consider(_ v: Float, _ index: Int) {
                        if v > best || (v.isNaN && !best.isNaN) { best = v; at = index }
                    }
                    consider(top[c &+ 1], corner &+ 1)
                    consider(bottom[c], corner &+ w)
                    consider(bottom[c &+ 1], corner &+ w &+ 1)
                    out[i &* ow &+ j] = best
                    arg[i &* ow &+ j] = Int32(truncatingIfNeeded: at)
                    j &+= 1
                }
            }
        }
    }

    /// `maxForward` without argmax (inference): per output row, the maximum down each
    /// column of the window's input rows first — whole contiguous rows, which vectorise —
    /// then across each window's columns of that one row. Max is exact in any order, and
    /// the NaN-keeping select makes a NaN anywhere in the window win, as in PyTorch.
    func maxForwardSeparable(planes: Int, input x: UnsafePointer<Float>, output y: UnsafeMutablePointer<Float>) {
        let h = height, w = width, oh = outHeight, ow = outWidth
        withTables { t in
            Parallel.chunks(planes, minChunk: Swift.max(1, 8192 / Swift.max(1, oh &* ow))) { start, end in
                let columns = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(1, w))
                defer { columns.deallocate() }
                for p in start..<end {
                    let src = x + p &* h &* w, out = y + p &* oh &* ow
                    for i in 0..<oh {
                        columns.update(repeating: -.infinity, count: w)
                        for r in t.rowLo[i]..<t.rowHi[i] {
                            let row = src + r &* w
                            for c in 0..<w { columns[c] = Self.keepingNaN(columns[c], row[c]) }
                        }
                        for j in 0..<ow {
                            var best = -Float.infinity
                            for c in t.colLo[j]..<t.colHi[j] { best = Self.keepingNaN(best, columns[c]) }
                            out[i &* ow &+ j] = best
                        }
                    }
                }
            }
        }
    }

    /// The larger of `m` and `v`, or `v` when it is NaN; once NaN, `m` stays NaN.
    @inline(__always)
    static func keepingNaN(_ m: Float, _ v: Float) -> Float { v > m || v != v ? v : m }

    /// Routes each output gradient to its window's argmax; `dx` must start at zero.
    func maxBackward(planes: Int, outputGrad dy: UnsafePointer<Float>, argmax: UnsafePointer<Int32>,
                     inputGrad dx: UnsafeMutablePointer<Float>) {
        let plane = height * width, outPlane = outHeight * outWidth
        forEachPlane(planes) { _, p in
            let d = dx + p &* plane
            let base = p &* outPlane
            for o in 0..<outPlane { d[Int(argmax[base &+ o])] += dy[base &+ o] }
        }
    }

    /// Window sums divided by the window's divisor.
    func averageForward(planes: Int, input x: UnsafePointer<Float>, output y: UnsafeMutablePointer<Float>) {
        let h = height, w = width, oh = outHeight, ow = outWidth
        forEachPlane(planes) { t, p in
            let src = x + p &* h &* w
            let dst = y + p &* oh &* ow
            for i in 0..<oh {
                for j in 0..<ow {
                    var s: Float = 0
                    for r in t.rowLo[i]..<t.rowHi[i] {
                        let row = src + r &* w
                        for c in t.colLo[j]..<t.colHi[j] { s += row[c] }
                    }
                    dst[i &* ow &+ j] = s / Float(t.rowDivisor[i] &* t.colDivisor[j])
                }
            }
        }
    }

    /// Spreads each output gradient over its window, divided by the divisor; `dx` must
    /// start at zero.
    func averageBackward(planes: Int, outputGrad dy: UnsafePointer<Float>, inputGrad dx: UnsafeMutablePointer<Float>) {
        let h = height, w = width, oh = outHeight, ow = outWidth
        forEachPlane(planes) { t, p in
            let dst = dx + p &* h &* w
            let src = dy + p &* oh &* ow
            for i in 0..<oh {
                for j in 0..<ow {
                    let g = src[i &* ow &+ j] / Float(t.rowDivisor[i] &* t.colDivisor[j])
                    for r in t.rowLo[i]..<t.rowHi[i] {
                        let row = dst + r &* w
                        for c in t.colLo[j]..<t.colHi[j] { row[c] += g }
                    }
                }
            }
        }
    }
}
