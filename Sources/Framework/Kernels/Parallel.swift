import AVX512Kernels
import Dispatch
import Foundation

/// The engine's thread setting and its coarse-grained parallel loop.
///
/// `ZOO_THREADS` (default: the number of cores) sets both OpenBLAS's threads and the number
/// of chunks the engine's own loops split into. Work is split into a fixed number of chunks
/// that depends only on the thread count and the problem size, so the same seed and thread
/// count give bitwise the same result.
public enum Parallel {
    nonisolated(unsafe) private static var configured: Int = {
        let env = ProcessInfo.processInfo.environment["ZOO_THREADS"].flatMap { Int($0) }
        let n = max(1, env ?? ProcessInfo.processInfo.activeProcessorCount)
        BLAS.setThreads(n)
        _ = AllocatorTuning.applied
        #if arch(x86_64)
        AVX512GEMM.runParts = { parts, body in WorkerPool.shared.run(parts: parts, body) }
        #endif
        return n
    }()

    /// A task's own thread count for the engine's loops (`withThreads`).
    @TaskLocal static var taskThreads: Int? = nil

    /// The number of threads the engine's loops split for: the task's own (`withThreads`),
    /// else the configured one.
    public static var threads: Int { taskThreads ?? configured }

    /// Runs `body` with the engine's own loops split for `n` threads, in this task only:
    /// other tasks (the suites a test process runs alongside) keep theirs, where
    /// `setThreads` would change how their reductions are split mid-run and so their bits.
    /// OpenBLAS's thread count is unchanged.
    public static func withThreads<T>(_ n: Int, _ body: () throws -> T) rethrows -> T {
        try $taskThreads.withValue(max(1, n)) { try body() }
    }

    /// Changes the thread count for the engine and OpenBLAS together.
    public static func setThreads(_ n: Int) {
        configured = max(1, n)
        BLAS.setThreads(configured)
    }

    /// Runs `body(0..<parts)` with one part per thread (`parts` ≤ `threads`), part 0 on the
    /// calling thread; inside another part it runs them one after the other.
    @inline(__always)
    public static func parts(_ parts: Int, _ body: (Int) -> Void) {
        WorkerPool.shared.run(parts: parts, body)
    }

    /// Runs `body(start, end)` over `0..<count` in at most `threads` contiguous chunks.
    /// Below `minChunk` items per chunk, or inside a part of another parallel loop (the pool is
    /// busy), the chunks run on the calling thread. `body` must not call BLAS.
    @inline(__always)
    public static func chunks(_ count: Int, minChunk: Int = 1, _ body: (Int, Int) -> Void) {
        let t = threads
        if count <= 0 { return }
        let nChunks = min(t, max(1, count / max(1, minChunk)))
        if nChunks <= 1 {
            body(0, count)
            return
        }
        WorkerPool.shared.run(parts: nChunks) { c in
            let start = count * c / nChunks
            let end = count * (c + 1) / nChunks
            if start < end { body(start, end) }
        }
    }
}
