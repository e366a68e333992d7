import Foundation
import Synchronization
import Testing
@testable import Framework

@Suite("The engine's worker pool")
struct WorkerPoolTests {
    /// Runs `parts` parts that each add their index + 1 into their own slot `rounds` times.
    static func counts(parts: Int, rounds: Int, pool: WorkerPool = .shared) -> [Int] {
        var slots = [Int](repeating: 0, count: parts)
        slots.withUnsafeMutableBufferPointer { p in
            let base = p.baseAddress!
            for _ in 0..<rounds { pool.run(parts: parts) { base[$0] += $0 + 1 } }
        }
        return slots
    }

    @Test("every part runs exactly once per call, on the workers or the caller, for 1 to 5 parts")
    func everyPartOnce() {
        for parts in 1...5 {
            #expect(Self.counts(parts: parts, rounds: 2_000) == (0..<parts).map { 2_000 * ($0 + 1) }, "\(parts) parts")
        }
    }

    @Test("workers that went to sleep, or were parked, wake for the next call")
    func wakesAfterSleepAndPark() {
        for round in 0..<6 {
            // Longer than the spin, so the workers sleep; or parked while spinning.
            if round % 2 == 0 { usleep(UInt32(WorkerPool.spinNanoseconds / 1000 * 3)) } else { WorkerPool.shared.park() }
            #expect(Self.counts(parts: 3, rounds: 5) == [5, 10, 15], "round \(round)")
        }
    }

    @Test("a call from inside a part runs its parts on that thread instead of deadlocking")
    func nestedCallsRunInline() {
        var inner = [Int](repeating: 0, count: 9)
        inner.withUnsafeMutableBufferPointer { p in
            let base = p.baseAddress!
            WorkerPool.shared.run(parts: 3) { outer in
                WorkerPool.shared.run(parts: 3) { base[outer * 3 + $0] += 1 }
            }
        }
        #expect(inner == [Int](repeating: 1, count: 9))
    }

    @Test("calls from several threads at once all complete with every part run once")
    func concurrentCallers() {
        let results = UnsafeMutableBufferPointer<Int>.allocate(capacity: 4 * 3)
        results.initialize(repeating: 0)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 4) { caller in
            let base = results.baseAddress! + caller * 3
            for _ in 0..<500 { WorkerPool.shared.run(parts: 3) { base[$0] += 1 } }
        }
        #expect(Array(results) == [Int](repeating: 500, count: 12))
    }

    @Test("Parallel.chunks covers every index once through the pool")
    func chunksCoverEveryIndex() {
        var seen = [Int](repeating: 0, count: 100_003)
        seen.withUnsafeMutableBufferPointer { p in
            let base = p.baseAddress!
            Parallel.chunks(100_003, minChunk: 7) { start, end in
                for i in start..<end { base[i] += 1 }
            }
        }
        #expect(seen.allSatisfy { $0 == 1 })
    }

    /// A test (or any task) that wants another split must not change every other task's:
    /// reductions split by the thread count would give other bits mid-run.
    @Test("Parallel.withThreads changes the split of this task only")
    func withThreadsIsTaskLocal() async throws {
        let configured = Parallel.threads
        let inside = Parallel.withThreads(configured + 3) { Parallel.threads }
        #expect(inside == configured + 3 && Parallel.threads == configured)
        // A task running meanwhile keeps the configured count.
        let (gate, opened) = AsyncStream.makeStream(of: Void.self)
        let other = Task.detached { () -> Int in
            for await _ in gate { break }
            return Parallel.threads
        }
        await Parallel.$taskThreads.withValue(configured + 5) {
            opened.yield()
            opened.finish()
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        #expect(await other.value == configured)
        // Chunks follow the task's count: 3 chunks of 30 items.
        let chunks = Mutex<[Int]>([])
        Parallel.withThreads(3) { Parallel.chunks(30) { a, b in chunks.withLock { $0.append(b - a) } } }
        #expect(chunks.withLock { $0.sorted() } == [10, 10, 10])
    }
}

