/// A dataset with its train/validation/test split and what the data offers: the output of
/// a dataset component (`kind: catalog`, `kind: simulated-galaxies`).
public struct DataSource {
    public var dataset: any Dataset
    public var train: [Int]
    public var val: [Int]
    public var test: [Int]
    /// Label columns the examples carry.
    public var labelNames: [String]
    /// Vote-count columns (`question_answer`) the examples carry.
    public var voteColumns: [String]
    /// Channels of the images (1 or 3) and their side length after resizing.
    public var channels: Int
    public var imageSize: Int
    /// Standardise each channel by the training split's mean and std before the backbone
    /// (`data.normalize: true`); the statistics travel in the model's checkpoint.
    public var normalize = false
    /// The mask types the examples carry (a galaxy may still lack a type: `Batch.maskPresent`).
    public var maskNames: [String] = []
    /// Box class names, label k being `boxClasses[k - 1]`; empty when the data has no boxes.
    public var boxClasses: [String] = []
    /// One line for logs and reports ("305 galaxies from catalog.csv: 213 train / …").
    public var summary: String

    public init(dataset: any Dataset, train: [Int], val: [Int], test: [Int], labelNames: [String],
                voteColumns: [String], channels: Int, imageSize: Int, summary: String) {
        self.dataset = dataset
        self.train = train
        self.val = val
        self.test = test
        self.labelNames = labelNames
        self.voteColumns = voteColumns
        self.channels = channels
        self.imageSize = imageSize
        self.summary = summary
    }

    /// The statistics of the input standardisation this source asks for, computed from the
    /// training split (decoding it once); nil when `normalize` is off.
    public func normalizationStatistics() throws -> ChannelStatistics? {
        guard normalize else { return nil }
        return try ChannelStatistics.compute(dataset, indices: train)
    }

    /// Keeps at most `n` training examples, chosen deterministically by `seed` (the
    /// "number of labels" axis of ablations); validation and test sets are untouched.
    public func limitingTraining(to n: Int?, seed: UInt64) -> DataSource {
        guard let n, n < train.count else { return self }
        var rng = RandomGenerator(seed: seed, stream: 0x4C41_4245)
        var shuffled = train
        rng.shuffle(&shuffled)
        var copy = self
        copy.train = Array(shuffled.prefix(n)).sorted()
        return copy
    }
}

/// A dataset plugin: `kind:` + options → a `DataSource`.
public protocol DatasetComponent: Component {
    static func make(options: Options, context: ComponentContext) throws -> DataSource
}

extension Registry {
    /// Registers a dataset plugin.
    public func register<D: DatasetComponent>(dataset: D.Type, plugin: String) {
        add(.dataset, kind: D.kind, summary: D.summary, options: D.Options.self, plugin: plugin) {
            try D.make(options: $0, context: $1)
        }
    }
}
