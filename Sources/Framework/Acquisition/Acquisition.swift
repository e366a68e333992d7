/// Chooses which galaxies to label next: scores every pool example (higher = more worth
/// labelling) and picks a batch. Batch-aware methods (core-set) override `select`.
public protocol Acquisition {
    /// One score per pool example.
    func scores(_ input: AcquisitionInput) throws -> [Double]
    /// The `k` pool indices to label next, best first. The default takes the top-k scores
    /// (ties broken by index, so selections are deterministic).
    func select(k: Int, from input: AcquisitionInput, rng: inout RandomGenerator) throws -> [Int]
}

extension Acquisition {
    public func select(k: Int, from input: AcquisitionInput, rng: inout RandomGenerator) throws -> [Int] {
        let s = try scores(input)
        return Array(s.indices.sorted { s[$0] != s[$1] ? s[$0] > s[$1] : $0 < $1 }.prefix(k))
    }
}

/// An acquisition plugin: `acquisition: {kind: bald}`.
public protocol AcquisitionComponent: Component {
    static func make(options: Options, context: ComponentContext) throws -> any Acquisition
}

extension Registry {
    /// Registers an acquisition function.
    public func register<A: AcquisitionComponent>(acquisition: A.Type, plugin: String) {
        add(.acquisition, kind: A.kind, summary: A.summary, options: A.Options.self, plugin: plugin) {
            try A.make(options: $0, context: $1)
        }
    }
}
