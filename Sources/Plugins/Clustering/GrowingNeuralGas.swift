import Foundation
import Framework

/// A growing neural gas (Fritzke 1995, "A growing neural gas network learns topologies"):
/// nodes that move towards the samples they win, joined by edges that competitive Hebbian
/// learning creates and ageing removes, with a node inserted every λ samples where the
/// accumulated error is largest. It learns one sample at a time, so any number of samples
/// can stream through it in bounded memory (the nodes are all it keeps).
///
/// Defaults are the parameters of Hocking et al. 2018 (MNRAS 473, 1108; their code,
/// github.com/alexhock/galaxymorphology, ML/GNG/GrowingNeuralGas.cs): ε_b 0.2, ε_n 0.006,
/// maximum edge age 50, λ 100, α 0.5, error decay d 0.995 per sample, and the winner's
/// error grows by its distance to the sample (Fritzke adds the squared distance: `error:
/// squared`).
public struct GrowingNeuralGas: Sendable {
    public struct Options: Codable, Sendable, Equatable {
        public var maxNodes = 200
        /// Winner and neighbour learning rates.
        public var epsilonWinner: Float = 0.2
        public var epsilonNeighbour: Float = 0.006
        public var maxAge = 50
        /// Insert a node every `lambda` samples.
        public var lambda = 100
        /// Error reduction of the two nodes a new one is inserted between.
        public var alpha: Double = 0.5
        /// Every node's error is multiplied by this after each sample.
        public var decay: Double = 0.995
        public var error: ErrorMeasure = .distance

        public init() {}

        enum CodingKeys: String, CodingKey {
            case maxNodes = "max_nodes", epsilonWinner = "epsilon_winner", epsilonNeighbour = "epsilon_neighbour"
            case maxAge = "max_age", lambda, alpha, decay, error
        }

        public func validate(_ section: String) throws {
            if maxNodes < 2 { throw ConfigError(file: section, message: "max_nodes must be ≥ 2") }
            if !(epsilonWinner > 0 && epsilonWinner <= 1 && epsilonNeighbour >= 0 && epsilonNeighbour <= 1) {
                throw ConfigError(file: section, message: "epsilon_winner must be in (0, 1] and epsilon_neighbour in [0, 1]")
            }
            if maxAge < 1 || lambda < 1 { throw ConfigError(file: section, message: "max_age and lambda must be ≥ 1") }
            if !(alpha > 0 && alpha <= 1 && decay > 0 && decay <= 1) {
                throw ConfigError(file: section, message: "alpha and decay must be in (0, 1]")
            }
        }
    }

    /// What the winner's accumulated error grows by.
    public enum ErrorMeasure: String, Codable, Sendable { case distance, squared }

    public let options: Options
    public let dimensions: Int
    /// Positions of node slots (`maxNodes` × d); only `alive` slots are nodes.
    public private(set) var positions: [Float]
    public private(set) var alive: [Bool]
    /// Error at `errorStep`; the current error is error · decay^(step − errorStep).
    private var error: [Double]
    private var errorStep: [Int]
    /// Edges by node: neighbour → age.
    public private(set) var edges: [[Int: Int]]
    /// Samples seen.
    public private(set) var step = 0
    private var pending: [Float] = []

    public init(dimensions: Int, options: Options = Options()) {
        self.options = options
        self.dimensions = dimensions
        positions = [Float](repeating: 0, count: options.maxNodes * dimensions)
        alive = [Bool](repeating: false, count: options.maxNodes)
        error = [Double](repeating: 0, count: options.maxNodes)
        errorStep = [Int](repeating: 0, count: options.maxNodes)
        edges = [[Int: Int]](repeating: [:], count: options.maxNodes)
    }

    /// Rebuilds a trained network from its nodes and edges (a saved model).
    public init(dimensions: Int, options: Options, nodes: FeatureMatrix, edgeList: [(Int, Int)]) {
        self.init(dimensions: dimensions, options: options)
        for i in 0..<nodes.rows {
            alive[i] = true
            for j in 0..<dimensions { positions[i * dimensions + j] = nodes.values[i * dimensions + j] }
        }
        for (a, b) in edgeList { edges[a][b] = 0; edges[b][a] = 0 }
    }

    public var nodeCount: Int { alive.lazy.filter { $0 }.count }
    public var edgeCount: Int { edges.reduce(0) { $0 + $1.count } / 2 }

    /// Live nodes' slot indices, ascending.
    public var nodeSlots: [Int] { alive.indices.filter { alive[$0] } }

    /// Live nodes' positions, in `nodeSlots` order.
    public var nodes: FeatureMatrix {
        let slots = nodeSlots
        var v = [Float]()
        v.reserveCapacity(slots.count * dimensions)
        for s in slots { v += positions[(s * dimensions)..<((s + 1) * dimensions)] }
        return FeatureMatrix(rows: slots.count, cols: dimensions, values: v)
    }

    /// Edges between live nodes as pairs of indices into `nodes` (each once, a < b).
    public var edgeList: [(Int, Int)] {
        let slots = nodeSlots
        let index = Dictionary(uniqueKeysWithValues: slots.enumerated().map { ($1, $0) })
        return slots.flatMap { a in edges[a].keys.filter { a < $0 }.sorted().map { (index[a]!, index[$0]!) } }
    }

    private func currentError(_ s: Int) -> Double { error[s] * pow(options.decay, Double(step - errorStep[s])) }
    private mutating func setError(_ s: Int, _ e: Double) { error[s] = e; errorStep[s] = step }

    /// Learns from one sample (d values). The first two samples become the first two nodes.
    public mutating func learn(_ x: UnsafeBufferPointer<Float>) {
        let d = dimensions
        if step < 2 && nodeCount < 2 && pending.count < 2 * d {
            pending += x
            if pending.count == 2 * d {
                for s in 0..<2 { alive[s] = true; for j in 0..<d { positions[s * d + j] = pending[s * d + j] } }
                pending = []
            }
            step += 1
            return
        }
        step += 1
        // The two nearest live nodes.
        var s1 = -1, s2 = -1
        var d1 = Float.infinity, d2 = Float.infinity
        positions.withUnsafeBufferPointer { p in
            for s in 0..<options.maxNodes where alive[s] {
                var acc: Float = 0
                let base = s &* d
                for j in 0..<d { let t = x[j] - p[base &+ j]; acc += t * t }
                if acc < d1 { d2 = d1; s2 = s1; d1 = acc; s1 = s } else if acc < d2 { d2 = acc; s2 = s }
            }
        }
        guard s1 >= 0, s2 >= 0 else { return }
        // Age the winner's edges, accumulate its error, move it and its neighbours.
        for n in edges[s1].keys { edges[s1][n]! += 1; edges[n][s1]! += 1 }
        setError(s1, currentError(s1) + (options.error == .distance ? Double(d1.squareRoot()) : Double(d1)))
        move(s1, towards: x, rate: options.epsilonWinner)
        for n in edges[s1].keys { move(n, towards: x, rate: options.epsilonNeighbour) }
        // Competitive Hebbian learning: connect (or refresh) winner and runner-up.
        edges[s1][s2] = 0
        edges[s2][s1] = 0
        // Remove edges older than the maximum age, then nodes left without edges.
        for (n, age) in edges[s1] where age > options.maxAge {
            edges[s1][n] = nil
            edges[n][s1] = nil
            if edges[n].isEmpty { alive[n] = false }
        }
        if edges[s1].isEmpty { alive[s1] = false }
        if step % options.lambda == 0 { insertNode() }
    }

    /// Learns from every row of `x`, in order.
    public mutating func learn(_ x: FeatureMatrix) {
        precondition(x.cols == dimensions, "GrowingNeuralGas: \(x.cols) features for a \(dimensions)-d network")
        x.values.withUnsafeBufferPointer { p in
            for i in 0..<x.rows { learn(UnsafeBufferPointer(rebasing: p[(i * dimensions)..<((i + 1) * dimensions)])) }
        }
    }

    private mutating func move(_ s: Int, towards x: UnsafeBufferPointer<Float>, rate: Float) {
        let base = s * dimensions
        for j in 0..<dimensions { positions[base + j] += rate * (x[j] - positions[base + j]) }
    }

    /// Fritzke's insertion: halfway between the node of largest error and its neighbour of
    /// largest error; both errors scaled by α, the new node starts with q's new error.
    private mutating func insertNode() {
        guard let free = alive.firstIndex(of: false) else { return }
        let slots = nodeSlots
        guard let q = slots.max(by: { currentError($0) < currentError($1) }),
              let f = edges[q].keys.max(by: { currentError($0) < currentError($1) }) else { return }
        let d = dimensions
        for j in 0..<d { positions[free * d + j] = (positions[q * d + j] + positions[f * d + j]) / 2 }
        alive[free] = true
        edges[q][f] = nil
        edges[f][q] = nil
        edges[q][free] = 0; edges[free][q] = 0
        edges[f][free] = 0; edges[free][f] = 0
        setError(q, currentError(q) * options.alpha)
        setError(f, currentError(f) * options.alpha)
        setError(free, currentError(q))
    }

    /// Nearest node (index into `nodes`) and distance for each row of `x`.
    public func nearestNodes(_ x: FeatureMatrix) throws -> [ClusterAssignment] {
        let n = nodes
        return ClusterAssignment.nearest(squaredDistances: try x.squaredDistances(to: n), rows: x.rows, centres: n.rows)
    }

    /// Mean Euclidean distance from each row of `x` to its nearest node.
    public func quantisationError(_ x: FeatureMatrix) throws -> Double {
        let a = try nearestNodes(x)
        return a.reduce(0.0) { $0 + Double($1.distance) } / Double(max(1, a.count))
    }

    /// Connected components of the graph: a component index for each node of `nodes`.
    public func components() -> [Int] {
        let slots = nodeSlots
        let index = Dictionary(uniqueKeysWithValues: slots.enumerated().map { ($1, $0) })
        var label = [Int](repeating: -1, count: slots.count)
        var next = 0
        for start in slots.indices where label[start] < 0 {
            var stack = [start]
            label[start] = next
            while let i = stack.popLast() {
                for n in edges[slots[i]].keys { let j = index[n]!; if label[j] < 0 { label[j] = next; stack.append(j) } }
            }
            next += 1
        }
        return label
    }
}
