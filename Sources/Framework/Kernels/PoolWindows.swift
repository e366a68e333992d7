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
