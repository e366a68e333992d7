import Foundation
import Testing
import Framework
@testable import ClusteringPlugin

@Suite struct GrowingNeuralGasTests {
    /// Points on two unit rings (centres (0,0), (5,0)) and in two tight blobs ((0,5), (5,5)),
    /// each structure equally likely: four separated pieces of known shape.
    static func ringsAndBlobs(_ n: Int, seed: UInt64) -> (points: FeatureMatrix, piece: [Int]) {
        var rng = RandomGenerator(seed: seed)
        var v: [Float] = [], piece: [Int] = []
        for _ in 0..<n {
            let which = rng.uniformIndex(below: 4)
            piece.append(which)
            switch which {
            case 0, 1:
                let t = rng.uniform() * 2 * .pi, r: Float = 1 + 0.03 * rng.normal()
                v += [Float(which) * 5 + r * cos(t), r * sin(t)]
            default:
                v += [Float(which - 2) * 5 + 0.2 * rng.normal(), 5 + 0.2 * rng.normal()]
            }
        }
        return (FeatureMatrix(rows: n, cols: 2, values: v), piece)
    }

    static func trained(maxNodes: Int = 40, samples: Int = 30_000) -> GrowingNeuralGas {
        var options = GrowingNeuralGas.Options()
        options.maxNodes = maxNodes
        var gng = GrowingNeuralGas(dimensions: 2, options: options)
        gng.learn(ringsAndBlobs(samples, seed: 3).points)
        return gng
    }

    @Test func learnsFourSeparatePiecesWithTheRightShape() throws {
        let gng = Self.trained()
        #expect(gng.nodeCount >= 38 && gng.nodeCount <= 40, "\(gng.nodeCount) nodes")
        let component = gng.components()
        #expect(Set(component).count == 4, "\(Set(component).count) connected components")
        // Each component's nodes lie on one piece: assign nodes to the piece they are nearest.
        let nodes = gng.nodes
        func piece(_ i: Int) -> Int {
            let x = nodes.values[2 * i], y = nodes.values[2 * i + 1]
            return (y > 2.5 ? 2 : 0) + (x > 2.5 ? 1 : 0)
        }
        var pieces: [Int: Set<Int>] = [:]
        for i in 0..<nodes.rows { pieces[component[i], default: []].insert(piece(i)) }
        #expect(pieces.values.allSatisfy { $0.count == 1 })
        #expect(Set(pieces.values.map { $0.first! }) == [0, 1, 2, 3])
        // Ring nodes sit on the unit circle, and each ring's graph closes into a loop.
        let edges = gng.edgeList
        for ringPiece in [0, 1] {
            let ringNodes = (0..<nodes.rows).filter { piece($0) == ringPiece }
            let cx = Float(ringPiece) * 5
            let offRadius = ringNodes.map { i in abs(hypot(nodes.values[2 * i] - cx, nodes.values[2 * i + 1]) - 1) }
            #expect(offRadius.max()! < 0.15, "ring \(ringPiece): a node \(offRadius.max()!) off the circle")
            let inRing = Set(ringNodes)
            let ringEdges = edges.filter { inRing.contains($0.0) && inRing.contains($0.1) }.count
            #expect(ringEdges >= ringNodes.count, "ring \(ringPiece): \(ringEdges) edges for \(ringNodes.count) nodes (no loop)")
        }
        let test = Self.ringsAndBlobs(2000, seed: 99).points
        let qe = try gng.quantisationError(test)
        #expect(qe < 0.15, "quantisation error \(qe)")
    }

    @Test func moreNodesQuantiseBetter() throws {
        let test = Self.ringsAndBlobs(2000, seed: 99).points
        let small = try Self.trained(maxNodes: 12, samples: 10_000).quantisationError(test)
        let large = try Self.trained(maxNodes: 60, samples: 10_000).quantisationError(test)
        #expect(large < 0.7 * small, "60 nodes \(large) vs 12 nodes \(small)")
    }

    @Test func isDeterministicAndRoundTrips() throws {
        let a = Self.trained(maxNodes: 20, samples: 5000), b = Self.trained(maxNodes: 20, samples: 5000)
        #expect(a.nodes == b.nodes)
        let rebuilt = GrowingNeuralGas(dimensions: 2, options: a.options, nodes: a.nodes, edgeList: a.edgeList)
        #expect(rebuilt.nodes == a.nodes)
        #expect(rebuilt.components() == a.components())
    }
}
