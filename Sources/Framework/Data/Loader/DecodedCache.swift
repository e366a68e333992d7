import Foundation

/// Decoded examples (before augmentation) kept in memory up to a byte budget.
///
/// Entries are never evicted: once the budget is full, new examples are simply not cached.
/// An epoch visits every example once, so least-recently-used eviction would evict each
/// entry just before it is needed again; a fixed resident subset keeps a steady hit rate.
final class DecodedCache: @unchecked Sendable {
    let budget: Int
    private let lock = NSLock()
    private var entries: [Int: Example] = [:]
    private var used = 0
    private var hitCount = 0
    private var missCount = 0

    init(budget: Int) { self.budget = budget }

    /// The cached example at `index`, or `load()`'s result, cached if it fits.
    func example(at index: Int, load: () throws -> Example) rethrows -> Example {
        if let hit = lock.withLock({ () -> Example? in
            let e = entries[index]
            if e != nil { hitCount += 1 } else { missCount += 1 }
            return e
        }) { return hit }
        let loaded = try load()
        let size = Self.bytes(loaded)
        lock.withLock {
            if entries[index] == nil, used + size <= budget {
                entries[index] = loaded
                used += size
            }
        }
        return loaded
    }

    /// (hits, misses, bytes held).
    var statistics: (hits: Int, misses: Int, bytes: Int) {
        lock.withLock { (hitCount, missCount, used) }
    }

    /// Approximate memory held by an example: its pixels and masks dominate.
    static func bytes(_ e: Example) -> Int {
        let floats = e.image.pixels.count + e.masks.values.reduce(0) { $0 + $1.pixels.count }
        return 4 * floats + 64 * (e.boxes.count + e.labels.count + e.votes.count) + 256
    }
}
