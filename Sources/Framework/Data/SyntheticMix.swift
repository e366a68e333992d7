import Foundation

/// `data: {…, synthetic: {catalog: gen/catalog.csv, max: 200}}` — images a generative model
/// made (`zoorun generate --catalog`), added to the training split only: validation and test
/// stay real, so every score is on real galaxies. Works with any data kind.
public struct SyntheticMix: Codable, Sendable, Equatable {
    /// The synthetic catalog (relative to the experiment file, or absolute); it must have the
    /// data's label columns.
    public var catalog: String
    /// At most this many synthetic examples, chosen by the experiment's seed; nil: all.
    public var max: Int?

    enum CodingKeys: String, CodingKey { case catalog, max }

    /// The source with the synthetic examples appended to its dataset and its training split.
    public func mixed(into source: DataSource, baseFolder: String, seed: UInt64) throws -> DataSource {
        if let max, max < 1 { throw ConfigError(file: "data", message: "synthetic.max must be ≥ 1, got \(max)") }
        let path = catalog.hasPrefix("/") ? catalog : (baseFolder as NSString).appendingPathComponent(catalog)
        let synthetic = try CatalogDataset(catalog: path, options: CatalogOptions(labelColumns: source.labelNames,
                                                                                   imageSize: source.imageSize))
        let channels = try synthetic.example(at: 0).image.channels
        guard channels == source.channels else {
            throw ConfigError(file: path, message: "synthetic images have \(channels) channels but the data has \(source.channels)")
        }
        var chosen = Array(0..<synthetic.count)
        if let max, max < chosen.count {
            var rng = RandomGenerator(seed: seed, stream: 0x5359_4E54)
            rng.shuffle(&chosen)
            chosen = Array(chosen.prefix(max)).sorted()
        }
        var mixed = source
        let offset = source.dataset.count
        mixed.dataset = ConcatenatedDataset(source.dataset, try DatasetSubset(synthetic, indices: chosen))
        mixed.train = source.train + (offset..<(offset + chosen.count))
        mixed.summary += " + \(chosen.count) synthetic from \((path as NSString).lastPathComponent) (training only)"
        return mixed
    }
}
