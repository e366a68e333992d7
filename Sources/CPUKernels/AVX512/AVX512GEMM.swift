#if arch(x86_64)
import Dispatch

/// Single-precision GEMM on AVX-512, in the BLIS layout: `C = alpha·op(A)·op(B) + beta·C`,
/// row-major.
///
/// This module is compiled for `skylake-avx512` (see Package.swift), so nothing here may run
/// before the caller has checked that the CPU has AVX-512 (`Framework/Kernels/CPUFeatures`).
/// It exists because the machine pins OpenBLAS to its AVX2 (Haswell) kernels, which leave half
/// of an AVX-512 core's multiply-add width unused.
///
/// Blocking: B is packed `kc × nc` into panels of `nr` columns (kept in L2/L3), A is packed
/// `mc × kc` into strips of `mr` rows (kept in L2), and a `mr × nr` register tile (24 zmm
/// accumulators) walks a B panel that stays in L1. Each thread owns whole columns (or rows)
/// of C, and every element of C is summed over k in the same order whatever the thread count,
/// so results do not depend on it.
public enum AVX512GEMM {
    public static let isCompiled = true

    static let mr = 12, nr = 32, kc = 256, mc = 192, nc = 2048

    /// Runs `body(0..<parts)` on as many threads: `DispatchQueue.concurrentPerform` unless the
    /// caller installs its own pool (Framework installs its spinning `WorkerPool`).
    nonisolated(unsafe) public static var runParts: (Int, (Int) -> Void) -> Void = { parts, body in
        DispatchQueue.concurrentPerform(iterations: parts, execute: body)
    }

    @inline(__always)
    static func load(_ p: UnsafeRawPointer, _ offset: Int) -> SIMD16<Float> {
        p.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
    }

    /// `C[mr × nr] = alpha·Σₖ a·b (+ beta·C)` for one packed A strip and one packed B panel.
    /// With `beta == 0`, C is only written (it may hold garbage or NaN).
    @inline(never)
    static func microkernel(_ k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                            _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ alpha: Float, _ beta: Float) {
        tile(12, rows: 12, k, a, b, c, ldc, alpha, beta)
    }

    /// The same for a strip's first `rows` ≤ 8 rows (the last strip of 32, 64 or 128
    /// channels): only eight rows of multiply-adds instead of twelve.
    @inline(never)
    static func microkernel8(_ rows: Int, _ k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ alpha: Float, _ beta: Float) {
        tile(8, rows: rows, k, a, b, c, ldc, alpha, beta)
    }

    /// The same for `rows` ≤ 4.
    @inline(never)
    static func microkernel4(_ rows: Int, _ k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ alpha: Float, _ beta: Float) {
        tile(4, rows: rows, k, a, b, c, ldc, alpha, beta)
    }

    /// The register tile: `height` (4, 8 or 12, a constant wherever this is inlined, so the
    /// unused accumulators vanish) rows of multiply-adds over a 12-wide packed strip, and the
    /// first `rows` of them stored.
    @inline(__always)
    static func tile(_ height: Int, rows: Int, _ k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                     _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ alpha: Float, _ beta: Float) {
        var c00 = SIMD16<Float>(), c01 = SIMD16<Float>(), c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
        var c20 = SIMD16<Float>(), c21 = SIMD16<Float>(), c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
        var c40 = SIMD16<Float>(), c41 = SIMD16<Float>(), c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
        var c60 = SIMD16<Float>(), c61 = SIMD16<Float>(), c70 = SIMD16<Float>(), c71 = SIMD16<Float>()
        var c80 = SIMD16<Float>(), c81 = SIMD16<Float>(), c90 = SIMD16<Float>(), c91 = SIMD16<Float>()
        var ca0 = SIMD16<Float>(), ca1 = SIMD16<Float>(), cb0 = SIMD16<Float>(), cb1 = SIMD16<Float>()
        var pa = a, pb = UnsafeRawPointer(b)
        for _ in 0..<k {
            let b0 = load(pb, 0), b1 = load(pb, 64)
            var x = SIMD16<Float>(repeating: pa[0]); c00.addProduct(x, b0); c01.addProduct(x, b1)
            x = SIMD16<Float>(repeating: pa[1]); c10.addProduct(x, b0); c11.addProduct(x, b1)
            x = SIMD16<Float>(repeating: pa[2]); c20.addProduct(x, b0); c21.addProduct(x, b1)
            x = SIMD16<Float>(repeating: pa[3]); c30.addProduct(x, b0); c31.addProduct(x, b1)
            if height > 4 {
                x = SIMD16<Float>(repeating: pa[4]); c40.addProduct(x, b0); c41.addProduct(x, b1)
                x = SIMD16<Float>(repeating: pa[5]); c50.addProduct(x, b0); c51.addProduct(x, b1)
                x = SIMD16<Float>(repeating: pa[6]); c60.addProduct(x, b0); c61.addProduct(x, b1)
                x = SIMD16<Float>(repeating: pa[7]); c70.addProduct(x, b0); c71.addProduct(x, b1)
            }
            if height > 8 {
                x = SIMD16<Float>(repeating: pa[8]); c80.addProduct(x, b0); c81.addProduct(x, b1)
                x = SIMD16<Float>(repeating: pa[9]); c90.addProduct(x, b0); c91.addProduct(x, b1)
                x = SIMD16<Float>(repeating: pa[10]); ca0.addProduct(x, b0); ca1.addProduct(x, b1)
                x = SIMD16<Float>(repeating: pa[11]); cb0.addProduct(x, b0); cb1.addProduct(x, b1)
            }
            pa += 12
            pb += 128
        }
        let base = UnsafeMutableRawPointer(c), rowBytes = ldc &* 4
        @inline(__always) func store(_ row: Int, _ v0: SIMD16<Float>, _ v1: SIMD16<Float>) {
            guard row < rows else { return }
            let p = base + row &* rowBytes
            if beta == 0 {
                p.storeBytes(of: v0 * alpha, as: SIMD16<Float>.self)
                p.storeBytes(of: v1 * alpha, toByteOffset: 64, as: SIMD16<Float>.self)
            } else {
                p.storeBytes(of: v0 * alpha + load(p, 0) * beta, as: SIMD16<Float>.self)
                p.storeBytes(of: v1 * alpha + load(p, 64) * beta, toByteOffset: 64, as: SIMD16<Float>.self)
            }
        }
        store(0, c00, c01); store(1, c10, c11); store(2, c20, c21); store(3, c30, c31)
        if height > 4 { store(4, c40, c41); store(5, c50, c51); store(6, c60, c61); store(7, c70, c71) }
        if height > 8 { store(8, c80, c81); store(9, c90, c91); store(10, ca0, ca1); store(11, cb0, cb1) }
    }


    /// Transposes the 16×16 block of `rows` (16 row pointers' worth, already loaded) in
    /// place: afterwards `v[u]` holds element `u` of every input row. Four rounds of
    /// unzipping row pairs (lane 2i from the even, 2i+1 from the odd row) — each a two-source
    /// permute on AVX-512.
    @_transparent
    static func transpose16(_ v: UnsafeMutablePointer<SIMD16<Float>>) {
        for _ in 0..<4 {
            let t = (v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15])
            (v[0], v[8]) = unzip(t.0, t.1)
            (v[1], v[9]) = unzip(t.2, t.3)
            (v[2], v[10]) = unzip(t.4, t.5)
            (v[3], v[11]) = unzip(t.6, t.7)
            (v[4], v[12]) = unzip(t.8, t.9)
            (v[5], v[13]) = unzip(t.10, t.11)
            (v[6], v[14]) = unzip(t.12, t.13)
            (v[7], v[15]) = unzip(t.14, t.15)
        }
    }

    /// The even and the odd lanes of `a` followed by those of `b`. Spelled out lane by lane
    /// (the compiler turns it into two permutes): `SIMD32.evenHalf` was left as an
    /// out-of-line call per use, which made transposes the slowest part of packing.
    @_transparent
    static func unzip(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
        (SIMD16(a[0], a[2], a[4], a[6], a[8], a[10], a[12], a[14], b[0], b[2], b[4], b[6], b[8], b[10], b[12], b[14]),
         SIMD16(a[1], a[3], a[5], a[7], a[9], a[11], a[13], a[15], b[1], b[3], b[5], b[7], b[9], b[11], b[13], b[15]))
    }

    /// `out[p·stride + r] = row r[p]` for `rows` (≤ 16) rows `ld` apart and depth `k`, in
    /// 16×16 register transposes; lanes `rows..<width` of each output group are zero.
    @inline(__always)
    static func interleave(_ src: UnsafePointer<Float>, _ ld: Int, rows: Int, width: Int, k: Int,
                           _ out: UnsafeMutablePointer<Float>, stride: Int, _ v: UnsafeMutablePointer<SIMD16<Float>>) {
        var p = 0
        while p &+ 16 <= k {
            for r in 0..<16 {
                v[r] = r < rows ? load(UnsafeRawPointer(src + (r &* ld &+ p)), 0) : SIMD16<Float>()
            }
            transpose16(v)
            for u in 0..<16 {
                let dst = UnsafeMutableRawPointer(out + (p &+ u) &* stride)
                if width == 16 {
                    dst.storeBytes(of: v[u], as: SIMD16<Float>.self)
                } else {
                    dst.storeBytes(of: v[u].lowHalf, as: SIMD8<Float>.self)
                    dst.storeBytes(of: SIMD4<Float>(v[u][8], v[u][9], v[u][10], v[u][11]), toByteOffset: 32, as: SIMD4<Float>.self)
                }
            }
            p &+= 16
        }
        while p < k {
            let dst = out + p &* stride
            for r in 0..<width { dst[r] = r < rows ? src[r &* ld &+ p] : 0 }
            p &+= 1
        }
    }

    /// Packs rows `i0..<i0+m`, depth `p0..<p0+k` of op(A) into strips of `mr` rows, each
    /// stored depth-major (`mr` values per depth step), zero-padded past the last row.
    static func packA(_ trans: Bool, _ a: UnsafePointer<Float>, _ lda: Int, _ i0: Int, _ m: Int,
                      _ p0: Int, _ k: Int, _ out: UnsafeMutablePointer<Float>, _ scratch: UnsafeMutablePointer<SIMD16<Float>>) {
        var o = out
        for s in stride(from: 0, to: m, by: mr) {
            let rows = min(mr, m &- s)
            if trans {
                for p in 0..<k {
                    let src = a + ((p0 &+ p) &* lda &+ i0 &+ s)
                    for i in 0..<rows { o[i] = src[i] }
                    for i in rows..<mr { o[i] = 0 }
                    o += mr
                }
            } else {
                interleave(a + ((i0 &+ s) &* lda &+ p0), lda, rows: rows, width: mr, k: k, o, stride: mr, scratch)
                o += mr &* k
            }
        }
    }

    /// Packs depth `p0..<p0+k`, columns `j0..<j0+n` of op(B) into panels of `nr` columns,
    /// each stored depth-major, zero-padded past the last column.
    static func packB(_ trans: Bool, _ b: UnsafePointer<Float>, _ ldb: Int, _ p0: Int, _ k: Int,
                      _ j0: Int, _ n: Int, _ out: UnsafeMutablePointer<Float>, _ scratch: UnsafeMutablePointer<SIMD16<Float>>) {
        var o = out
        for q in stride(from: 0, to: n, by: nr) {
            let cols = min(nr, n &- q)
            if !trans {
                for p in 0..<k {
                    let src = b + ((p0 &+ p) &* ldb &+ j0 &+ q)
                    if cols == nr {
                        o.update(from: src, count: nr)
                    } else {
                        for j in 0..<cols { o[j] = src[j] }
                        for j in cols..<nr { o[j] = 0 }
                    }
                    o += nr
                }
            } else {
                let src = b + ((j0 &+ q) &* ldb &+ p0)
                interleave(src, ldb, rows: min(16, cols), width: 16, k: k, o, stride: nr, scratch)
                interleave(src + 16 &* ldb, ldb, rows: max(0, cols &- 16), width: 16, k: k, o + 16, stride: nr, scratch)
                o += nr &* k
            }
        }
    }

    /// Where B comes from: a matrix in memory (transposed or not), or a convolution's
    /// column matrix packed straight from its input (`AVX512Im2Col`), with the column where
    /// this thread's part of C starts.
    enum Source {
        case matrix(trans: Bool, UnsafePointer<Float>, ld: Int)
        case im2col(AVX512Im2Col, firstColumn: Int)
    }

    /// Where A comes from: a matrix in memory (transposed or not, starting at this thread's
    /// first row), or one packed whole beforehand (`packWhole`), with this thread's first row.
    enum Operand {
        case matrix(trans: Bool, UnsafePointer<Float>, ld: Int)
        case packed(PackedA, firstRow: Int)
    }

    /// A matrix `A` (`rows × depth`) packed whole as the GEMM reads it, so that a convolution
    /// packs its weights once instead of once per tile and per thread: depth block after
    /// depth block (`kc` deep, the last shorter), each holding all strips of `mr` rows,
    /// zero-padded past the last row. The strips of rows `i…` in the block at depth `p` start
    /// at `p·paddedRows + i·min(kc, depth − p)`.
    public struct PackedA: @unchecked Sendable {
        public var pointer: UnsafePointer<Float>
        public var rows: Int, depth: Int

        public init(pointer: UnsafePointer<Float>, rows: Int, depth: Int) {
            self.pointer = pointer; self.rows = rows; self.depth = depth
        }

        /// Rows rounded up to whole strips.
        public var paddedRows: Int { (rows + mr - 1) / mr * mr }
        /// Floats `packWhole` writes.
        public var count: Int { paddedRows * depth }
        /// Strips of `mr` rows: the unit `packWhole` shares out.
        public var strips: Int { paddedRows / mr }

        @inline(__always)
        func strip(row: Int, depthBlock p: Int) -> UnsafePointer<Float> {
            pointer + (p &* paddedRows &+ row &* Swift.min(kc, depth &- p))
        }
    }

    /// Packs strips `strips` of the `rows × depth` row-major matrix `a` into `packed` (the
    /// layout `PackedA` describes); disjoint strip ranges may be packed concurrently.
    public static func packWhole(_ a: UnsafePointer<Float>, lda: Int, into packed: PackedA, strips: Range<Int>) {
        let first = strips.lowerBound * mr, rows = Swift.min(packed.rows, strips.upperBound * mr) - first
        guard rows > 0 else { return }
        let scratch = UnsafeMutablePointer<SIMD16<Float>>.allocate(capacity: 16)
        defer { scratch.deallocate() }
        for pc in stride(from: 0, to: packed.depth, by: kc) {
            let kCur = min(kc, packed.depth &- pc)
            packA(false, a, lda, first, rows, pc, kCur, UnsafeMutablePointer(mutating: packed.strip(row: first, depthBlock: pc)),
                  scratch)
        }
    }

    /// One thread's GEMM over its own part of C.
    static func serial(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                       _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                       _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        serial(.matrix(trans: transA, a, ld: lda), .matrix(trans: transB, b, ld: ldb), m, n, k, alpha, beta, c, ldc)
    }

    static func serial(_ operand: Operand, _ source: Source, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                       _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        let panelColumns = min(nc, (n + nr - 1) / nr * nr), stripRows = min(mc, (m + mr - 1) / mr * mr)
        let depth = min(kc, k)
        let packedB = UnsafeMutablePointer<Float>.allocate(capacity: depth * panelColumns)
        var ownA: Int { if case .matrix = operand { return depth * stripRows } else { return 0 } }
        let packedA = UnsafeMutablePointer<Float>.allocate(capacity: ownA)
        let edge = UnsafeMutablePointer<Float>.allocate(capacity: mr * nr)
        let scratch = UnsafeMutablePointer<SIMD16<Float>>.allocate(capacity: 16)
        let runs = UnsafeMutablePointer<AVX512Im2Col.Run>.allocate(capacity: nr)
        defer { packedB.deallocate(); packedA.deallocate(); edge.deallocate(); scratch.deallocate(); runs.deallocate() }
        for jc in stride(from: 0, to: n, by: nc) {
            let nCur = min(nc, n &- jc)
            for pc in stride(from: 0, to: k, by: kc) {
                let kCur = min(kc, k &- pc)
                switch source {
                case let .matrix(transB, b, ldb): packB(transB, b, ldb, pc, kCur, jc, nCur, packedB, scratch)
                case let .im2col(columns, first): columns.pack(pc, kCur, first &+ jc, nCur, width: nr, packedB, runs: runs)
                }
                // Later depth blocks add onto what the first wrote.
                let blockBeta: Float = pc == 0 ? beta : 1
                for ic in stride(from: 0, to: m, by: mc) {
                    let mCur = min(mc, m &- ic)
                    let strips: UnsafePointer<Float>
                    switch operand {
                    case let .matrix(transA, a, lda):
                        packA(transA, a, lda, ic, mCur, pc, kCur, packedA, scratch)
                        strips = UnsafePointer(packedA)
                    case let .packed(whole, firstRow):
                        strips = whole.strip(row: firstRow &+ ic, depthBlock: pc)
                    }
                    for jr in stride(from: 0, to: nCur, by: nr) {
                        let cols = min(nr, nCur &- jr), panel = packedB + jr &* kCur
                        for ir in stride(from: 0, to: mCur, by: mr) {
                            let rows = min(mr, mCur &- ir), strip = strips + ir &* kCur
                            let tile = c + ((ic &+ ir) &* ldc &+ jc &+ jr)
                            if rows == mr && cols == nr {
                                microkernel(kCur, strip, panel, tile, ldc, alpha, blockBeta)
                            } else if rows <= 4 && cols == nr {
                                microkernel4(rows, kCur, strip, panel, tile, ldc, alpha, blockBeta)
                            } else if rows <= 8 && cols == nr {
                                microkernel8(rows, kCur, strip, panel, tile, ldc, alpha, blockBeta)
                            } else {
                                microkernel(kCur, strip, panel, edge, nr, alpha, 0)
                                for i in 0..<rows {
                                    let dst = tile + i &* ldc, src = edge + i &* nr
                                    if blockBeta == 0 {
                                        for j in 0..<cols { dst[j] = src[j] }
                                    } else {
                                        for j in 0..<cols { dst[j] = src[j] + blockBeta * dst[j] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `C = alpha·A·B + beta·C` where A was packed beforehand (`packWhole`; its rows and
    /// depth are m and k) and B is a convolution's column matrix (`columns`), packed from the
    /// padded input as the GEMM needs it. Threads split C as `sgemm` does.
    public static func sgemm(n: Int, alpha: Float, a: PackedA, columns: AVX512Im2Col, beta: Float,
                             c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int) {
        let m = a.rows, k = a.depth
        if m <= 0 || n <= 0 || k <= 0 { return }
        split(m: m, n: n, threads: threads, packedA: true) { i0, i1, j0, j1 in
            serial(.packed(a, firstRow: i0), .im2col(columns, firstColumn: j0), i1 - i0, j1 - j0, k,
                   alpha, beta, c + (i0 * ldc + j0), ldc)
        }
    }

    /// Shares C out among up to `threads` threads as whole panels (columns) or whole strips
    /// (rows), calling `body(i0, i1, j0, j1)` for each part. Every thread packs all of the
    /// operand it does not split, so split the side whose other operand is smaller: columns
    /// when n ≥ m (each thread packs all of A, m×k), rows otherwise. With A packed
    /// beforehand (`packedA`) only B is packed per thread, and the split weighs the uneven
    /// share of register tiles (12 cycles per depth step) against packing all of B (about
    /// half that per panel, measured on the implicit im2col).
    static func split(m: Int, n: Int, threads: Int, packedA: Bool = false, _ body: (Int, Int, Int, Int) -> Void) {
        let panels = (n + nr - 1) / nr, strips = (m + mr - 1) / mr
        var byColumns = strips < threads ? true : panels < threads ? false : n >= m
        if packedA && strips >= threads && panels >= threads {
            let share = { (units: Int) in (units + threads - 1) / threads }
            let columnsCost = 2 * share(panels) * strips + share(panels)
            let rowsCost = 2 * share(strips) * panels + panels
            byColumns = columnsCost <= rowsCost
        }
        let parts = max(1, min(threads, byColumns ? panels : strips))
        if parts == 1 {
            body(0, m, 0, n)
            return
        }
        runParts(parts) { part in
            if byColumns {
                let j0 = panels * part / parts * nr, j1 = min(n, panels * (part + 1) / parts * nr)
                if j0 < j1 { body(0, m, j0, j1) }
            } else {
                let i0 = strips * part / parts * mr, i1 = min(m, strips * (part + 1) / parts * mr)
                if i0 < i1 { body(i0, i1, 0, n) }
            }
        }
    }

    /// `C = alpha·op(A)·op(B) + beta·C` (row-major, `op` transposes when asked) on up to
    /// `threads` threads. `k` must be positive; with `beta == 0`, C is only written.
    public static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int) {
        if m <= 0 || n <= 0 || k <= 0 { return }
        if transB && !transA && m <= 96 && n >= 2 * m {
            // Packing a transposed B is a strided gather that only m/mr strips reuse; when A is
            // this thin (weight gradients of early layers) solve Cᵀ = op(B)ᵀ·op(A)ᵀ instead, whose
            // transposed operand is the thin one.
            let t = UnsafeMutablePointer<Float>.allocate(capacity: m * n)
            defer { t.deallocate() }
            sgemm(transA: false, transB: true, m: n, n: m, k: k, alpha: alpha, a: b, lda: ldb, b: a, ldb: lda,
                  beta: 0, c: t, ldc: m, threads: threads)
            for i in 0..<m {
                let row = c + i &* ldc
                if beta == 0 {
                    for j in 0..<n { row[j] = t[j &* m &+ i] }
                } else {
                    for j in 0..<n { row[j] = t[j &* m &+ i] + beta * row[j] }
                }
            }
            return
        }
        split(m: m, n: n, threads: threads) { i0, i1, j0, j1 in
            serial(transA, transB, i1 - i0, j1 - j0, k, alpha, transA ? a + i0 : a + i0 * lda, lda,
                   transB ? b + j0 * ldb : b + j0, ldb, beta, c + (i0 * ldc + j0), ldc)
        }
    }
}
#else
/// Not compiled on this architecture; `Framework` falls back to OpenBLAS.
public enum AVX512GEMM {
    public static let isCompiled = false

    public static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int) {
        preconditionFailure("AVX512GEMM is not compiled for this architecture")
    }
}
#endif
