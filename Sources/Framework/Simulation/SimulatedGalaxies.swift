/// The simulator as a `Dataset`: `count` galaxies of the sky drawn from `seed`.
///
/// Example i is galaxy i of `GalaxySimulator(options:seed:)`: deterministic, independent of
/// the order or thread it is loaded from. Labels, votes (GZ DECaLS columns), masks (`bar`,
/// `spiral`, `bar_fraction`, `spiral_fraction`) and clump boxes come with every example.
public struct SimulatedGalaxies: Dataset {
    public let simulator: GalaxySimulator
    public let count: Int

    /// Throws a `SimulatorError` for an option out of range or a negative count.
    public init(seed: UInt64, count: Int, options: SimulatorOptions = SimulatorOptions()) throws {
        guard count >= 0 else { throw SimulatorError(key: "count", message: "\(count) must be ≥ 0") }
        simulator = try GalaxySimulator(options: options, seed: seed)
        self.count = count
    }

    public var options: SimulatorOptions { simulator.options }

    /// The masks every example carries (`GalaxySimulator.maskNames`).
    public var maskNames: [String] { simulator.maskNames }

    public func id(at index: Int) -> String { "sim-\(simulator.seed)-\(index)" }

    public func example(at index: Int) throws -> Example {
        try check(index)
        return simulator.example(at: index)
    }

    /// Labels come from the sampled structure alone, so no galaxy is rendered for them.
    public func labels(at index: Int) throws -> [String: Float] {
        try check(index)
        return simulator.parameters(at: index).labels
    }

    /// Votes need the noiseless scene only: no noise, colour, masks or boxes are made.
    public func targets(at index: Int) throws -> (labels: [String: Float], votes: [String: Float]) {
        try check(index)
        let galaxy = simulator.truth(at: index)
        return (galaxy.labels, simulator.votes(for: galaxy))
    }

    private func check(_ index: Int) throws {
        guard (0..<count).contains(index) else {
            throw SimulatorError(key: "index", message: "\(index) is outside 0..<\(count)")
        }
    }

    /// Galaxy `index` with every parameter and its ground truth.
    public func galaxy(at index: Int) -> SimulatedGalaxy { simulator.galaxy(at: index) }
}
