import Foundation

/// How a `DataLoader` batches, orders and prefetches, as written under `loader:`.
///
/// ```yaml
/// loader:
///   batch_size: 128
///   shuffle: true       # a fresh permutation each epoch, a pure function of (seed, epoch)
///   drop_last: false    # drop a final batch smaller than batch_size
///   seed: 0
///   workers: 2          # decode + augment threads; 0 works on the consumer's thread
///   prefetch: 2         # batches prepared ahead of the consumer, at most
///   cache_mb: 0         # in-memory cache of decoded images; 0 disables it
/// ```
public struct DataLoaderOptions: Codable, Equatable, Sendable, ValidatedOptions {
    public var batchSize: Int
    public var shuffle: Bool
    public var dropLast: Bool
    public var seed: UInt64
    public var workers: Int
    public var prefetch: Int
    /// Budget of the decoded-image cache in MiB.
    public var cacheMegabytes: Int

    enum CodingKeys: String, CodingKey {
        case batchSize = "batch_size", shuffle, dropLast = "drop_last", seed, workers, prefetch
        case cacheMegabytes = "cache_mb"
    }

    /// The default worker count: two threads, or one on a single core.
    public static var defaultWorkers: Int { min(2, ProcessInfo.processInfo.activeProcessorCount) }

    public init(batchSize: Int = 32, shuffle: Bool = true, dropLast: Bool = false, seed: UInt64 = 0,
                workers: Int = DataLoaderOptions.defaultWorkers, prefetch: Int = 2, cacheMegabytes: Int = 0) {
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = seed
        self.workers = workers
        self.prefetch = prefetch
        self.cacheMegabytes = cacheMegabytes
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(batchSize: try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? 32,
                  shuffle: try c.decodeIfPresent(Bool.self, forKey: .shuffle) ?? true,
                  dropLast: try c.decodeIfPresent(Bool.self, forKey: .dropLast) ?? false,
                  seed: try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0,
                  workers: try c.decodeIfPresent(Int.self, forKey: .workers) ?? Self.defaultWorkers,
                  prefetch: try c.decodeIfPresent(Int.self, forKey: .prefetch) ?? 2,
                  cacheMegabytes: try c.decodeIfPresent(Int.self, forKey: .cacheMegabytes) ?? 0)
        try throwFirstProblem(under: c.codingPath)
    }

    /// Throws the first invalid setting, naming its key.
    public func validate() throws {
        if let problem = firstProblem { throw DataLoaderError(message: problem) }
    }

    func problems() -> [(key: CodingKeys, message: String)] {
        var out: [(CodingKeys, String)] = []
        if !(1...65_536).contains(batchSize) { out.append((.batchSize, "'batch_size' must be between 1 and 65536, found \(batchSize)")) }
        if !(0...256).contains(workers) { out.append((.workers, "'workers' must be between 0 and 256, found \(workers)")) }
        if !(1...1024).contains(prefetch) { out.append((.prefetch, "'prefetch' must be between 1 and 1024 batches, found \(prefetch)")) }
        if !(0...(1 << 30)).contains(cacheMegabytes) { out.append((.cacheMegabytes, "'cache_mb' must be ≥ 0, found \(cacheMegabytes)")) }
        return out
    }
}
