import Foundation

/// The worker machinery behind one epoch: threads claim example positions in epoch order,
/// load and augment them, and the thread that completes a batch collates it. At most
/// `prefetch` batches are in progress or waiting ahead of the consumer; the consumer takes
/// batches strictly in order, so the result never depends on thread timing.
///
/// All mutable state is guarded by `condition`; every state change broadcasts.
final class LoaderPipeline: @unchecked Sendable {
    /// Number of examples in the epoch and per batch.
    let total: Int
    let batchSize: Int
    let batchCount: Int
    let prefetch: Int
    /// Loads and augments the example at an epoch position (errors name the example).
    let produce: (Int) -> Result<AugmentedExample, DataLoaderError>
    /// Collates the examples of batch `number`.
    let collate: ([AugmentedExample], Int) throws -> Batch

    private let condition = NSCondition()
    private var nextPosition = 0
    private var delivered = 0
    private var slots: [Int: [AugmentedExample?]] = [:]
    private var remaining: [Int: Int] = [:]
    private var ready: [Int: Result<Batch, DataLoaderError>] = [:]
    /// The earliest failing position seen so far.
    private var failure: (position: Int, error: DataLoaderError)?
    /// Positions being worked on.
    private var busy = Set<Int>()
    private var stopped = false
    private var finished = false
    private var liveWorkers = 0

    init(total: Int, batchSize: Int, prefetch: Int,
         produce: @escaping (Int) -> Result<AugmentedExample, DataLoaderError>,
         collate: @escaping ([AugmentedExample], Int) throws -> Batch) {
        self.total = total
        self.batchSize = batchSize
        self.batchCount = (total + batchSize - 1) / batchSize
        self.prefetch = prefetch
        self.produce = produce
        self.collate = collate
    }

    /// Starts `count` worker threads.
    func start(workers count: Int, name: String) {
        condition.withLock { liveWorkers = count }
        for w in 0..<count {
            let thread = Thread { [self] in
                LoaderPipeline.yieldToCompute()
                while let position = claim() { complete(position, produce(position)) }
                condition.withLock {
                    liveWorkers -= 1
                    condition.broadcast()
                }
            }
            thread.name = "\(name).\(w)"
            thread.start()
        }
    }

    /// Lowers the calling worker thread's scheduling priority (Linux: a per-thread nice of
    /// 5), so that on a machine with as many busy threads as cores the training step's
    /// threads are not left waiting on a core that is decoding: the step only stalls on the
    /// slowest of its parallel chunks, while prefetched decoding can wait a little.
    static func yieldToCompute() {
        #if os(Linux)
        // On Linux, nice is per thread and who = 0 means the calling thread.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 5)
        #endif
    }

    private func batchOf(_ position: Int) -> Int { position / batchSize }

    private func size(of batch: Int) -> Int { min(batchSize, total - batch * batchSize) }

    /// The next position to work on, waiting while the prefetch window is full; nil when
    /// there is nothing left to do.
    private func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            guard let p = claimable() else {
                if stopped || nextPosition >= total || failure.map({ batchOf(nextPosition) >= batchOf($0.position) }) == true {
                    return nil
                }
                condition.wait()
                continue
            }
            return p
        }
    }

    /// Takes the next position if the window allows; call with the lock held.
    private func claimable() -> Int? {
        guard !stopped, nextPosition < total else { return nil }
        let b = batchOf(nextPosition)
        // Work past a failed batch would never be delivered.
        if let f = failure, b >= batchOf(f.position) { return nil }
        guard b < delivered + prefetch else { return nil }
        let p = nextPosition
        nextPosition += 1
        busy.insert(p)
        return p
    }

    /// Files a finished example; collates its batch when it was the last one.
    private func complete(_ position: Int, _ result: Result<AugmentedExample, DataLoaderError>) {
        let b = batchOf(position)
        condition.lock()
        busy.remove(position)
        switch result {
        case let .failure(error):
            if failure.map({ position < $0.position }) ?? true { failure = (position, error) }
        case let .success(item):
            var s = slots[b] ?? [AugmentedExample?](repeating: nil, count: size(of: b))
            s[position - b * batchSize] = item
            let left = (remaining[b] ?? size(of: b)) - 1
            if left == 0 {
                slots[b] = nil
                remaining[b] = nil
                condition.unlock()
                let collated: Result<Batch, DataLoaderError>
                do {
                    collated = .success(try collate(s.map { $0! }, b))
                } catch let e as DataLoaderError {
                    collated = .failure(e)
                } catch {
                    collated = .failure(DataLoaderError(message: "batch \(b): \(error)"))
                }
                condition.lock()
                ready[b] = collated
            } else {
                slots[b] = s
                remaining[b] = left
            }
        }
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch in order, waiting for it; nil after the last batch or a failure.
    /// With no worker threads the consumer does the work itself.
    func next(inline: Bool) -> Result<Batch, DataLoaderError>? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if finished || delivered >= batchCount {
                finished = true
                return nil
            }
            if let r = ready.removeValue(forKey: delivered) {
                delivered += 1
                if case .failure = r { finishLocked() }
                condition.broadcast()
                return r
            }
            // A failure is reported once everything before it has settled, so the same
            // error comes out whatever the thread timing.
            if let f = failure, batchOf(f.position) == delivered, !busy.contains(where: { $0 < f.position }) {
                finishLocked()
                return .failure(f.error)
            }
            if inline, let p = claimable() {
                condition.unlock()
                let r = produce(p)
                complete(p, r)
                condition.lock()
                continue
            }
            condition.wait()
        }
    }

    private func finishLocked() {
        finished = true
        stopped = true
        condition.broadcast()
    }

    /// Tells the workers to stop after their current example; with `wait`, returns once
    /// every worker thread has exited.
    func stop(wait: Bool) {
        condition.lock()
        stopped = true
        finished = true
        condition.broadcast()
        while wait && liveWorkers > 0 { condition.wait() }
        condition.unlock()
    }

    /// Worker threads still running.
    var runningWorkers: Int { condition.withLock { liveWorkers } }
}
