import Foundation
import Synchronization

/// The engine's threads: `run(parts:)` executes parts 1… on persistent workers and part 0 on
/// the caller, and returns when all are done.
///
/// Why not `DispatchQueue.concurrentPerform`: its idle threads sleep at once, and waking
/// one costs 6–8 µs on this VM (more when the host is busy, since a halted virtual CPU has
/// to be rescheduled). An EfficientNet-B0 forward pass forks and joins about 260 times.
/// Here a worker spins for a while (`spinNanoseconds`) after each part before it sleeps,
/// so the parts of one network pass follow each other without sleeping, and the spinning
/// stops soon after a pass ends (a data loader needs those cores).
///
/// Each worker has its own slot (task and sequence numbers), so no part is ever claimed by
/// two threads. A call made while the pool is busy — from inside a part, or from another
/// thread — runs all its parts on the calling thread: nesting never deadlocks and never
/// oversubscribes the cores.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// How long a worker polls for its next part before it sleeps.
    static let spinNanoseconds: UInt64 = 200_000

    private let busy = Atomic<Bool>(false)
    static let cores = ProcessInfo.processInfo.activeProcessorCount
    /// `workers.count`, for the workers to read.
    fileprivate let workerCount = Atomic<Int>(0)
    /// Bumped by `park()`: spinning workers go to sleep when they see it change.
    fileprivate let parkings = Atomic<Int>(0)
    /// Grown and read only by the thread holding `busy`.
    nonisolated(unsafe) private var workers: [Worker] = []

    /// One worker thread and its slot.
    final class Worker: @unchecked Sendable {
        /// Bumped by the caller for each part it hands over; the worker answers in `done`.
        let posted = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        /// The part to run and its index, valid from a `posted` bump until the matching `done`.
        nonisolated(unsafe) var task: ((Int) -> Void)? = nil
        nonisolated(unsafe) var index = 0
        let condition = NSCondition()
        nonisolated(unsafe) var sleeping = false

        func start(name: String) {
            let thread = Thread { [self] in loop() }
            thread.name = name
            thread.start()
        }

        private func loop() {
            var seen = 0
            while true {
                var next = posted.load(ordering: .acquiring)
                if next == seen {
                    // With more workers than cores, a spinning worker would hold a core that
                    // one with work needs: sleep at once.
                    let spin = WorkerPool.shared.workerCount.load(ordering: .relaxed) < WorkerPool.cores
                    let deadline = DispatchTime.now().uptimeNanoseconds + (spin ? WorkerPool.spinNanoseconds : 0)
                    let parkings = WorkerPool.shared.parkings.load(ordering: .relaxed)
                    var polls = 0
                    while next == seen {
                        polls &+= 1
                        if polls & 255 == 0 && (DispatchTime.now().uptimeNanoseconds > deadline
                                                || WorkerPool.shared.parkings.load(ordering: .relaxed) != parkings) { break }
                        next = posted.load(ordering: .acquiring)
                    }
                    if next == seen {
                        condition.lock()
                        while posted.load(ordering: .acquiring) == seen {
                            sleeping = true
                            condition.wait()
                        }
                        sleeping = false
                        condition.unlock()
                        next = posted.load(ordering: .acquiring)
                    }
                }
                seen = next
                runTask()
                done.store(seen, ordering: .releasing)
            }
        }

        /// Runs the posted part; its own frame, so every reference to the task is dropped
        /// before `done` tells the caller (which checks that the closure did not escape).
        @inline(never)
        private func runTask() {
            task!(index)
        }

        /// Hands `part` of `body` to this worker.
        func post(_ body: @escaping (Int) -> Void, part: Int) {
            task = body
            index = part
            let next = posted.load(ordering: .relaxed) &+ 1
            posted.store(next, ordering: .releasing)
            condition.lock()
            if sleeping { condition.signal() }
            condition.unlock()
        }

        /// Waits (polling) until the last posted part has run.
        func wait() {
            let target = posted.load(ordering: .relaxed)
            while done.load(ordering: .acquiring) != target {}
            task = nil
        }
    }

    /// Sends spinning workers to sleep now: OpenBLAS runs its own threads, and a worker
    /// polling beside them would take one of their cores (a fifth of a `zoobot_like`
    /// training step on the portable path).
    func park() {
        parkings.add(1, ordering: .relaxed)
    }

    /// Runs `body(0..<parts)`: part 0 on the calling thread, the others on workers, or all on
    /// the calling thread when the pool is already busy or `parts` is 1.
    func run(parts: Int, _ body: (Int) -> Void) {
        if parts <= 0 { return }
        guard parts > 1, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for p in 0..<parts { body(p) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        while workers.count < parts - 1 {
            let worker = Worker()
            worker.start(name: "zoorun.worker.\(workers.count + 1)")
            workers.append(worker)
            workerCount.store(workers.count, ordering: .relaxed)
        }
        withoutActuallyEscaping(body) { escaping in
            for p in 1..<parts { workers[p - 1].post(escaping, part: p) }
            escaping(0)
            for p in 1..<parts { workers[p - 1].wait() }
        }
    }
}
