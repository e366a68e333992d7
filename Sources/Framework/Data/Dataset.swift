/// A finite, indexable collection of examples. Implementations must be safe to call from
/// several loader threads at once and deterministic: `example(at: i)` always returns the same
/// galaxy (augmentation is applied later, by the loader, with its own seed).
public protocol Dataset: Sendable {
    /// Number of examples.
    var count: Int { get }
    /// The id of example `index`, without decoding its image.
    func id(at index: Int) -> String
    /// Loads (decodes, renders) example `index`.
    func example(at index: Int) throws -> Example
    /// The labels and vote counts of example `index`, without decoding its image. The
    /// default loads the example; catalogs and the simulator answer from their tables.
    func targets(at index: Int) throws -> (labels: [String: Float], votes: [String: Float])
    /// The scalar labels of example `index` alone. The default reads `targets(at:)`; the
    /// simulator answers from its sampler without rendering (its votes need the rendering).
    func labels(at index: Int) throws -> [String: Float]
}

extension Dataset {
    public func targets(at index: Int) throws -> (labels: [String: Float], votes: [String: Float]) {
        let e = try example(at: index)
        return (e.labels, e.votes)
    }

    public func labels(at index: Int) throws -> [String: Float] { try targets(at: index).labels }
}
