#if canImport(Glibc)
import Glibc
#endif

/// Keeps glibc from returning large tensor buffers to the kernel after every op.
///
/// By default glibc serves allocations above 128 KB with a fresh mmap and unmaps them on
/// free, so every multi-megabyte activation of every training step page-faults again
/// (measured: conv 1×1 forward+backward at ~105 GFLOP/s in a fresh process instead of ~200).
/// Raising the mmap and trim thresholds lets freed buffers be reused from the heap.
/// `mallopt` is looked up at run time because Swift's Glibc module does not export malloc.h.
enum AllocatorTuning {
    static let applied: Bool = {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
        _ = mallopt(mmapThreshold, 64 << 20)
        _ = mallopt(trimThreshold, 1 << 30)
        return true
        #else
        return false
        #endif
    }()
}
