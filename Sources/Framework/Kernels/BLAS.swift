import AVX512Kernels
import COpenBLAS
import Foundation

/// The one place that talks to OpenBLAS. Everything GEMM-shaped goes through here.
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
