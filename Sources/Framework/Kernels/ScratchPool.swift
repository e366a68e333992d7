import Foundation

/// A few large Float buffers kept between calls, so that successive convolutions reuse their
/// column matrices instead of paying the page faults of fresh multi-megabyte allocations
/// (which cost as much as the unfolding itself).
///
/// Thread-safe: concurrent callers get distinct buffers. At most `capacity` buffers of at
/// most `largest` floats each are kept; anything else is freed as usual.
enum ScratchPool {
    static let capacity = 4
    static let largest = 1 << 23

    private static let lock = NSLock()
    nonisolated(unsafe) private static var idle: [(pointer: UnsafeMutablePointer<Float>, count: Int)] = []

    /// Runs `body` with an uninitialised buffer of at least `count` floats.
    static func withBuffer<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> R) -> R {
        let buffer = take(max(1, count))
        defer { give(buffer) }
        return body(buffer.pointer)
    }

    private static func take(_ count: Int) -> (pointer: UnsafeMutablePointer<Float>, count: Int) {
        lock.lock()
        // The smallest idle buffer that is large enough.
        var pick: Int? = nil
        for (i, b) in idle.enumerated() where b.count >= count && (pick == nil || b.count < idle[pick!].count) {
            pick = i
        }
        if let pick {
            let b = idle.remove(at: pick)
            lock.unlock()
            return b
        }
        lock.unlock()
        return (UnsafeMutablePointer<Float>.allocate(capacity: count), count)
    }

    private static func give(_ buffer: (pointer: UnsafeMutablePointer<Float>, count: Int)) {
        guard buffer.count <= largest else {
            buffer.pointer.deallocate()
            return
        }
        lock.lock()
        idle.append(buffer)
        var evicted: (pointer: UnsafeMutablePointer<Float>, count: Int)? = nil
        if idle.count > capacity {
            // Keep the larger buffers: they serve every request the small ones could.
            let smallest = idle.indices.min { idle[$0].count < idle[$1].count }!
            evicted = idle.remove(at: smallest)
        }
        lock.unlock()
        evicted?.pointer.deallocate()
    }
}
