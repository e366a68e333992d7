import AVX512Kernels
import COpenBLAS
import Foundation

/// The one place that talks to OpenBLAS. Everything GEMM-shaped goes through here, and so
/// do the LAPACK routines behind `LinearAlgebra` (through `LAPACKScalar`).
///
/// On CPUs with AVX-512 the GEMM runs on the engine's own AVX-512 kernel (`AVX512GEMM`),
/// which measured 1.1–1.9× OpenBLAS on the convolution shapes here because the machine pins
/// OpenBLAS to its AVX2 kernels (docs/benchmarks.md); elsewhere, or with `ZOO_GEMM=openblas`,
/// it is OpenBLAS's. Both run their own threads; the engine's parallel loops never call into
/// them, so thread counts never multiply.
public enum BLAS {
    /// The GEMM implementations.
    public enum Backend: String, Sendable {
        case openblas
        case avx512
    }

    /// The GEMM in use: `ZOO_GEMM` (`openblas` or `avx512`) if set and possible, else AVX-512
    /// where the CPU has it.
    nonisolated(unsafe) public static var backend: Backend = {
        let wanted = ProcessInfo.processInfo.environment["ZOO_GEMM"].flatMap(Backend.init(rawValue:))
        let native = AVX512GEMM.isCompiled && CPUFeatures.hasAVX512
        if wanted == .openblas || !native { return .openblas }
        return .avx512
    }()

    /// Whether `backend` may be set to `.avx512` on this machine.
    public static var avx512Available: Bool { AVX512GEMM.isCompiled && CPUFeatures.hasAVX512 }

    /// C = alpha·op(A)·op(B) + beta·C, row-major, on `threads` threads on the AVX-512
    /// backend (OpenBLAS uses its own setting).
    @inline(__always)
    public static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                             alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                             b: UnsafePointer<Float>, ldb: Int,
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int = Parallel.threads) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            // BLAS leaves C·beta; make the k = 0 case explicit so beta = 0 always clears.
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
            return
        }
        if backend == .avx512 {
            AVX512GEMM.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                             b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, threads: threads)
            return
        }
        WorkerPool.shared.park()
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Sets OpenBLAS's thread count.
    public static func setThreads(_ n: Int) {
        openblas_set_num_threads(Int32(n))
    }

    /// OpenBLAS's current thread count.
    public static var threads: Int { Int(openblas_get_num_threads()) }
}

/// Float and Double with OpenBLAS's LAPACK routines (`s…` and `d…`) and GEMM, so that
/// `LinearAlgebra` is written once for both.
public protocol LAPACKScalar: BinaryFloatingPoint, Sendable {
    static var lapack: LAPACKRoutines<Self> { get }
}

/// The raw LAPACK and GEMM calls for one scalar type: column-major, LAPACK's `info` as the
/// result (0 success, < 0 a bad argument, > 0 the routine's own failure). Call
/// `LinearAlgebra`, which checks its inputs and turns `info` into errors, rather than these.
public struct LAPACKRoutines<T>: Sendable {
    typealias Potrf = @Sendable (UnsafePointer<CChar>?, UnsafePointer<Int32>?, UnsafeMutablePointer<T>?,
                                 UnsafePointer<Int32>?, UnsafeMutablePointer<Int32>?, Int) -> Void
    typealias Syevd = @Sendable (UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<Int32>?,
                                 UnsafeMutablePointer<T>?, UnsafePointer<Int32>?, UnsafeMutablePointer<T>?,
                                 UnsafeMutablePointer<T>?, UnsafePointer<Int32>?, UnsafeMutablePointer<Int32>?,
                                 UnsafePointer<Int32>?, UnsafeMutablePointer<Int32>?, Int, Int) -> Void
    typealias Gesdd = @Sendable (UnsafePointer<CChar>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?,
                                 UnsafeMutablePointer<T>?, UnsafePointer<Int32>?, UnsafeMutablePointer<T>?,
                                 UnsafeMutablePointer<T>?, UnsafePointer<Int32>?, UnsafeMutablePointer<T>?,
                                 UnsafePointer<Int32>?, UnsafeMutablePointer<T>?, UnsafePointer<Int32>?,
                                 UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?, Int) -> Void
    typealias Gemm = @Sendable (Bool, Bool, Int, Int, Int, UnsafePointer<T>, Int, UnsafePointer<T>, Int,
                                UnsafeMutablePointer<T>, Int) -> Void
    let rawPotrf: Potrf
    let rawSyevd: Syevd
    let rawGesdd: Gesdd
    let rawGemm: Gemm

    /// xPOTRF: Cholesky factor of one triangle (`uplo` "U" or "L") in place.
    public func potrf(uplo: UInt8, n: Int, a: UnsafeMutablePointer<T>, lda: Int) -> Int {
        var u = CChar(bitPattern: uplo), n = Int32(n), lda = Int32(lda), info: Int32 = 0
        WorkerPool.shared.park()
        rawPotrf(&u, &n, a, &lda, &info, 1)
        return Int(info)
    }

    /// xSYEVD: eigenvalues ascending into `w`, eigenvectors (jobz "V") over `a`'s columns.
    /// `lwork` or `liwork` -1 asks for the workspace sizes in `work[0]` and `iwork[0]`.
    public func syevd(jobz: UInt8, uplo: UInt8, n: Int, a: UnsafeMutablePointer<T>, lda: Int,
                      w: UnsafeMutablePointer<T>, work: UnsafeMutablePointer<T>, lwork: Int,
                      iwork: UnsafeMutablePointer<Int32>, liwork: Int) -> Int {
        var j = CChar(bitPattern: jobz), u = CChar(bitPattern: uplo), n = Int32(n), lda = Int32(lda)
        var lw = Int32(lwork), liw = Int32(liwork), info: Int32 = 0
        WorkerPool.shared.park()
        rawSyevd(&j, &u, &n, a, &lda, w, work, &lw, iwork, &liw, &info, 1, 1)
        return Int(info)
    }

    /// xGESDD: singular values into `s`, thin U and Vᵀ (jobz "S"); `lwork` -1 is a size query.
    public func gesdd(jobz: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<T>, lda: Int,
                      s: UnsafeMutablePointer<T>, u: UnsafeMutablePointer<T>, ldu: Int,
                      vt: UnsafeMutablePointer<T>, ldvt: Int, work: UnsafeMutablePointer<T>, lwork: Int,
                      iwork: UnsafeMutablePointer<Int32>) -> Int {
        var j = CChar(bitPattern: jobz), m = Int32(m), n = Int32(n), lda = Int32(lda), ldu = Int32(ldu)
        var ldvt = Int32(ldvt), lw = Int32(lwork), info: Int32 = 0
        WorkerPool.shared.park()
        rawGesdd(&j, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work, &lw, iwork, &info, 1)
        return Int(info)
    }

    /// C = op(A)·op(B), row-major.
    public func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<T>, lda: Int,
                     b: UnsafePointer<T>, ldb: Int, c: UnsafeMutablePointer<T>, ldc: Int) {
        rawGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
    }
}

extension Float: LAPACKScalar {
    public static let lapack = LAPACKRoutines<Float>(
        rawPotrf: { spotrf_($0, $1, $2, $3, $4, $5) },
        rawSyevd: { ssyevd_($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) },
        rawGesdd: { sgesdd_($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) },
        rawGemm: { BLAS.sgemm(transA: $0, transB: $1, m: $2, n: $3, k: $4, a: $5, lda: $6, b: $7, ldb: $8, c: $9, ldc: $10) })
}

extension Double: LAPACKScalar {
    public static let lapack = LAPACKRoutines<Double>(
        rawPotrf: { dpotrf_($0, $1, $2, $3, $4, $5) },
        rawSyevd: { dsyevd_($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) },
        rawGesdd: { dgesdd_($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) },
        rawGemm: { transA, transB, m, n, k, a, lda, b, ldb, c, ldc in
            if m == 0 || n == 0 { return }
            if k == 0 {
                for i in 0..<m { for j in 0..<n { c[i * ldc + j] = 0 } }
                return
            }
            WorkerPool.shared.park()
            cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
        })
}
