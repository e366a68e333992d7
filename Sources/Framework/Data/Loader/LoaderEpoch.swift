/// One pass over a `DataLoader`'s examples: a sequence of batches in a fixed order.
///
/// ```swift
/// for result in loader.epoch(e) {
///     let batch = try result.get()   // a failed example surfaces here, naming its id
///     …
/// }
/// ```
/// or `while let batch = try epoch.next() { … }`. Workers start at creation, so the first
/// batches are prepared while the caller sets up. Leaving the loop early is fine: dropping
/// the epoch (or calling `cancel()`) stops its workers.
public final class LoaderEpoch: Sequence {
    public let epoch: Int
    /// Number of batches this epoch yields when nothing fails.
    public var batchCount: Int { pipeline.batchCount }
    let pipeline: LoaderPipeline
    let inline: Bool

    init(epoch: Int, pipeline: LoaderPipeline, workers: Int) {
        self.epoch = epoch
        self.pipeline = pipeline
        self.inline = workers == 0
        pipeline.start(workers: workers, name: "zoorun.loader.e\(epoch)")
    }

    deinit { pipeline.stop(wait: false) }

    /// The next batch, nil at the end; throws the `DataLoaderError` of a failed example
    /// (after which the epoch is over).
    public func next() throws -> Batch? {
        try pipeline.next(inline: inline)?.get()
    }

    /// Stops the workers and waits until their threads have exited; later calls to
    /// `next()` return nil.
    public func cancel() { pipeline.stop(wait: true) }

    /// Worker threads still running (0 after `cancel()` or once all work is done).
    public var runningWorkers: Int { pipeline.runningWorkers }

    public struct Iterator: IteratorProtocol {
        let owner: LoaderEpoch
        public mutating func next() -> Result<Batch, DataLoaderError>? { owner.pipeline.next(inline: owner.inline) }
    }

    public func makeIterator() -> Iterator { Iterator(owner: self) }
}
