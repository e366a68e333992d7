import Foundation

/// Batches a dataset for training or evaluation: ordering (a seeded shuffle per epoch),
/// decoding and augmentation on background threads, a bounded prefetch queue, and
/// collation into `Batch`es delivered in a deterministic order.
///
/// Everything random is a pure function of `options.seed` and the epoch: the order comes
/// from (seed, epoch), and example i's augmentation from (seed, epoch, i), so the same run
/// gives the same batches whatever the number of workers or their timing.
public final class DataLoader: @unchecked Sendable {
    public let dataset: any Dataset
    /// Dataset indices this loader draws from (a split), in their unshuffled order.
    public let indices: [Int]
    public let options: DataLoaderOptions
    public let augmenter: Augmenter?
    /// Vote columns for `Batch.votes`, in tensor column order; nil for no vote tensor.
    public let voteColumns: [String]?
    /// Masks to collate; nil collates every mask the examples of a batch have.
    public let maskNames: [String]?
    let cache: DecodedCache?

    public init(dataset: any Dataset, indices: [Int]? = nil, options: DataLoaderOptions = DataLoaderOptions(),
                augmentation: AugmentationOptions? = nil, voteColumns: [String]? = nil,
                maskNames: [String]? = nil) throws {
        try options.validate()
        let chosen = indices ?? Array(0..<dataset.count)
        if let bad = chosen.first(where: { !(0..<dataset.count).contains($0) }) {
            throw DataLoaderError(message: "index \(bad) is outside the dataset (\(dataset.count) examples)")
        }
        self.dataset = dataset
        self.indices = chosen
        self.options = options
        self.augmenter = try augmentation.map { try Augmenter($0) }
        self.voteColumns = voteColumns
        self.maskNames = maskNames
        self.cache = options.cacheMegabytes > 0 ? DecodedCache(budget: options.cacheMegabytes << 20) : nil
    }

    /// Examples one epoch yields (a short last batch is dropped with `drop_last`).
    public var examplesPerEpoch: Int {
        options.dropLast ? indices.count / options.batchSize * options.batchSize : indices.count
    }

    /// Batches per epoch.
    public var batchCount: Int { (examplesPerEpoch + options.batchSize - 1) / options.batchSize }

    /// The dataset indices of `epoch` in the order they are served (before `drop_last`).
    public func order(epoch: Int) -> [Int] {
        guard options.shuffle else { return indices }
        var rng = Self.generator(seed: options.seed, purpose: 0x5348_5546, epoch: epoch, index: 0)
        var order = indices
        var i = order.count - 1
        while i > 0 {
            order.swapAt(i, rng.uniformIndex(below: i + 1))
            i -= 1
        }
        return order
    }

    /// Starts an epoch; iterate the result for its batches.
    public func epoch(_ epoch: Int) -> LoaderEpoch {
        let order = Array(self.order(epoch: epoch).prefix(examplesPerEpoch))
        let batchSize = options.batchSize
        let (dataset, augmenter, cache, seed) = (self.dataset, self.augmenter, self.cache, options.seed)
        let (votes, masks) = (voteColumns, maskNames)
        let pipeline = LoaderPipeline(
            total: order.count, batchSize: batchSize, prefetch: options.prefetch,
            produce: { position in
                let index = order[position]
                do {
                    let example = try cache?.example(at: index) { try dataset.example(at: index) }
                        ?? dataset.example(at: index)
                    guard let augmenter else { return .success(AugmentedExample(example: example, droppedBoxes: 0)) }
                    var rng = DataLoader.generator(seed: seed, purpose: 0x4155_474D, epoch: epoch, index: index)
                    return .success(try augmenter.apply(to: example, using: &rng))
                } catch {
                    return .failure(DataLoaderError(exampleID: dataset.id(at: index), index: index, message: "\(error)"))
                }
            },
            collate: { items, number in
                let start = number * batchSize
                return try Batch.collate(items, indices: Array(order[start..<start + items.count]),
                                         epoch: epoch, number: number, voteColumns: votes, maskNames: masks)
            })
        return LoaderEpoch(epoch: epoch, pipeline: pipeline, workers: options.workers)
    }

    /// Cache hits, misses and bytes held (all 0 without a cache).
    public var cacheStatistics: (hits: Int, misses: Int, bytes: Int) { cache?.statistics ?? (0, 0, 0) }

    /// The generator for one purpose (shuffling, augmenting), epoch and example.
    static func generator(seed: UInt64, purpose: UInt64, epoch: Int, index: Int) -> RandomGenerator {
        var perEpoch = RandomGenerator(seed: seed ^ (purpose << 32), stream: UInt64(bitPattern: Int64(epoch)))
        return RandomGenerator(seed: perEpoch.next(), stream: UInt64(bitPattern: Int64(index)))
    }
}
