import Testing
@testable import Framework
import AVX512Kernels

/// The engine's AVX-512 GEMM against a plain Float64 product, on shapes that cross every
/// blocking edge (register tile 12×32, depth block 256, row block 192, column block 2048).
@Suite("AVX-512 GEMM")
struct GEMMTests {
    struct Case: CustomStringConvertible, Sendable {
        var transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0, pad: Int = 0
        var description: String { "\(transA ? "T" : "N")\(transB ? "T" : "N") \(m)×\(n)×\(k) α\(alpha) β\(beta) pad\(pad)" }
    }

    static let cases: [Case] = [
        Case(transA: false, transB: false, m: 1, n: 1, k: 1),
        Case(transA: false, transB: false, m: 12, n: 32, k: 7),
        Case(transA: false, transB: false, m: 13, n: 33, k: 257, pad: 3),
        Case(transA: true, transB: false, m: 25, n: 65, k: 300, alpha: 0.5, beta: 0.25),
        Case(transA: false, transB: true, m: 40, n: 90, k: 130, beta: 1),       // the thin-A transposed route
        Case(transA: false, transB: true, m: 100, n: 31, k: 513, alpha: 2, pad: 1),
        Case(transA: true, transB: true, m: 37, n: 45, k: 19, beta: -1),
        Case(transA: false, transB: false, m: 200, n: 70, k: 40, beta: 1),      // two row blocks
        Case(transA: false, transB: false, m: 5, n: 2100, k: 3, pad: 2),         // two column blocks
        Case(transA: false, transB: false, m: 30, n: 64, k: 50, beta: 0.5, pad: 2),  // last strip: 6 rows (8-row kernel)
        Case(transA: true, transB: false, m: 3, n: 96, k: 20, alpha: 2, beta: 1),     // one strip of 3 rows (4-row kernel)
        Case(transA: true, transB: false, m: 64, n: 4, k: 576),                  // a late-stage conv of one image
    ]

    static func random(_ count: Int, seed: UInt64) -> [Float] {
        var rng = RandomGenerator(seed: seed)
        return (0..<count).map { _ in Float(rng.uniform() * 2 - 1) }
    }

    /// C as BLAS defines it, in Float64.
    static func reference(_ c: Case, _ a: [Float], lda: Int, _ b: [Float], ldb: Int, _ c0: [Float], ldc: Int) -> [Double] {
        var out = c0.map(Double.init)
        for i in 0..<c.m {
            for j in 0..<c.n {
                var sum = 0.0
                for p in 0..<c.k {
                    let av = c.transA ? a[p * lda + i] : a[i * lda + p]
                    let bv = c.transB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += Double(av) * Double(bv)
                }
                let old = c.beta == 0 ? 0 : Double(c.beta) * Double(c0[i * ldc + j])
                out[i * ldc + j] = Double(c.alpha) * sum + old
            }
        }
        return out
    }

    func run(_ c: Case, threads: Int, initial: [Float]) -> [Float] {
        let lda = (c.transA ? c.m : c.k) + c.pad, ldb = (c.transB ? c.k : c.n) + c.pad, ldc = c.n + c.pad
        let a = Self.random((c.transA ? c.k : c.m) * lda, seed: 1), b = Self.random((c.transB ? c.n : c.k) * ldb, seed: 2)
        var out = initial
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in out.withUnsafeMutableBufferPointer { pc in
            AVX512GEMM.sgemm(transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k, alpha: c.alpha,
                             a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb, beta: c.beta,
                             c: pc.baseAddress!, ldc: ldc, threads: threads)
        } } }
        return out
    }

    @Test("matches a Float64 product; padding between rows is left alone", .enabled(if: BLAS.avx512Available), arguments: cases)
    func matchesReference(_ c: Case) {
        let lda = (c.transA ? c.m : c.k) + c.pad, ldb = (c.transB ? c.k : c.n) + c.pad, ldc = c.n + c.pad
        let a = Self.random((c.transA ? c.k : c.m) * lda, seed: 1), b = Self.random((c.transB ? c.n : c.k) * ldb, seed: 2)
        var initial = Self.random(c.m * ldc, seed: 3)
        // With beta = 0, C is write-only: NaN already there must not leak into the result.
        if c.beta == 0 { for i in stride(from: 0, to: initial.count, by: 7) { initial[i] = .nan } }
        let expected = Self.reference(c, a, lda: lda, b, ldb: ldb, initial, ldc: ldc)
        for threads in [1, 2, 3] {
            let got = run(c, threads: threads, initial: initial)
            var worst = 0.0
            for i in 0..<c.m {
                for j in 0..<c.n { worst = max(worst, abs(Double(got[i * ldc + j]) - expected[i * ldc + j])) }
                for j in c.n..<ldc { #expect(got[i * ldc + j].bitPattern == initial[i * ldc + j].bitPattern, "padding written") }
            }
            #expect(worst <= 1e-5 * Double(c.k).squareRoot() * 4, "\(c), \(threads) threads: max error \(worst)")
        }
    }

    @Test("the thread count does not change a single bit", .enabled(if: BLAS.avx512Available))
    func threadIndependent() {
        let c = Case(transA: false, transB: false, m: 150, n: 300, k: 600)
        let zeros = [Float](repeating: 0, count: c.m * c.n)
        let one = run(c, threads: 1, initial: zeros)
        #expect(run(c, threads: 2, initial: zeros) == one)
        #expect(run(c, threads: 5, initial: zeros) == one)
    }

    @Test("BLAS.sgemm gives the same product on either backend")
    func backendsAgree() throws {
        let m = 33, n = 47, k = 70
        let a = Self.random(m * k, seed: 4), b = Self.random(k * n, seed: 5)
        func product(_ backend: BLAS.Backend) -> [Float] {
            let saved = BLAS.backend
            defer { BLAS.backend = saved }
            BLAS.backend = backend
            var c = [Float](repeating: 0, count: m * n)
            a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
                BLAS.sgemm(transA: false, transB: false, m: m, n: n, k: k, a: pa.baseAddress!, lda: k,
                           b: pb.baseAddress!, ldb: n, c: pc.baseAddress!, ldc: n)
            } } }
            return c
        }
        let open = product(.openblas)
        let native = product(BLAS.avx512Available ? .avx512 : .openblas)
        #expect(zip(open, native).map { abs($0 - $1) }.max()! < 1e-4)
    }
}
