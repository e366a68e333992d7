/// `data: {kind: simulated-galaxies}` — the framework's own data: `count` galaxies from the
/// simulator (deterministic per seed and index), with ring and other labels, Galaxy Zoo
/// DECaLS vote counts, masks and clump boxes. Nothing to download.
public enum SimulatedSource: DatasetComponent {
    public static let kind = "simulated-galaxies"
    public static let summary = "Simulated galaxies with known truth: labels (ring, bar, arms, merger, …), GZ DECaLS votes, masks, clump boxes"

    public struct Options: ComponentOptions {
        public var count = 600
        /// Added to the experiment seed, so train and test universes can differ.
        public var seedOffset: UInt64 = 0
        public var train = 0.6
        public var val = 0.2
        public var test = 0.2
        /// Stratify the split on this label (e.g. ring); nil for a plain random split.
        public var stratifyBy: String?
        /// Use at most this many training labels (the labels axis of ablations).
        public var maxLabels: Int?
        /// The simulator's own options (image size, noise, PSF, morphology mix, …).
        public var simulator: SimulatorOptions?
        /// Standardise each band by the training split's mean and std (stored in the checkpoint).
        public var normalize = false

        public init() {}

        enum CodingKeys: String, CodingKey {
            case count, train, val, test, simulator, normalize
            case seedOffset = "seed_offset", stratifyBy = "stratify_by", maxLabels = "max_labels"
        }

        public func validate() throws {
            if count < 3 { throw ConfigError(file: "data", message: "count must be ≥ 3") }
            if abs(train + val + test - 1) > 1e-6 { throw ConfigError(file: "data", message: "train + val + test must be 1") }
        }
    }

    public static func make(options o: Options, context: ComponentContext) throws -> DataSource {
        let simOptions = o.simulator ?? SimulatorOptions()
        let dataset = try SimulatedGalaxies(seed: context.seed &+ o.seedOffset, count: o.count, options: simOptions)
        let strata = try o.stratifyBy.map { label in
            try (0..<dataset.count).map { i -> String in
                guard let v = try dataset.labels(at: i)[label] else {
                    throw ConfigError(file: "data", message: "stratify_by: the simulator has no label '\(label)'")
                }
                return String(v)
            }
        }
        let split = try DatasetSplit.random(count: o.count, train: o.train, val: o.val, test: o.test, seed: context.seed,
                                            strata: strata)
        var source = DataSource(dataset: dataset, train: split.train, val: split.val, test: split.test,
                                labelNames: [], voteColumns: DecisionTree.gzDecals.columnNames,
                                channels: 3, imageSize: simOptions.imageSize, summary: "")
        source.normalize = o.normalize
        source.maskNames = dataset.maskNames
        source.boxClasses = GalaxySimulator.boxClasses
        source = source.limitingTraining(to: o.maxLabels, seed: context.seed)
        source.summary = "\(o.count) simulated galaxies: \(source.train.count) train / \(source.val.count) val / \(source.test.count) test, 3×\(simOptions.imageSize)²"
        return source
    }
}
