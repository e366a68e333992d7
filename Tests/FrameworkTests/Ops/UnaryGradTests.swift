import TestSupport
import Foundation
import Testing
@testable import Framework

/// Uniform in [-r, r].
func symmetric(_ r: Double) -> (inout RandomGenerator) -> Double {
    { (Double($0.uniform()) * 2 - 1) * r }
}

/// Uniform in [-r, r], but at least `gap` away from every point in `kinks`.
func avoiding(_ kinks: [Double], gap: Double = 0.05, range r: Double) -> (inout RandomGenerator) -> Double {
    { rng in
        while true {
            let x = (Double(rng.uniform()) * 2 - 1) * r
            if kinks.allSatisfy({ Swift.abs(x - $0) >= gap }) { return x }
        }
    }
}

/// Checks an element-wise op against a scalar Float64 reference on an odd-sized tensor.
func checkElementwise(_ name: String, shape: [Int] = [3, 5, 7], draw: ((inout RandomGenerator) -> Double)? = nil,
                      sourceLocation: SourceLocation = #_sourceLocation,
                      op: @escaping (Tensor) throws -> Tensor, reference: @escaping (Double) -> Double) throws {
    try checkGradients(name, inputs: [GradInput(shape, draw: draw)], sourceLocation: sourceLocation,
                       op: { try op($0[0]) }, reference: { $0[0].map(reference) })
}

@Suite("Unary math gradients")
struct UnaryGradTests {
    @Test func expLogSqrtSquare() throws {
        try checkElementwise("exp", draw: symmetric(2), op: { $0.exp() }, reference: { Foundation.exp($0) })
        try checkElementwise("log", draw: positive, op: { $0.log() }, reference: { Foundation.log($0) })
        try checkElementwise("sqrt", draw: positive, op: { $0.sqrt() }, reference: { $0.squareRoot() })
        try checkElementwise("square", draw: symmetric(3), op: { $0.square() }, reference: { $0 * $0 })
        try checkElementwise("abs", draw: awayFromZero, op: { $0.abs() }, reference: { Swift.abs($0) })
    }

    @Test("pow with a constant exponent", arguments: [2.0, 3.0, 0.5, -1.0, 1.7, -2.3, 0.0, 1.0] as [Float])
    func powScalar(_ e: Float) throws {
        try checkElementwise("pow \(e)", draw: positive, op: { $0.pow(e) }, reference: { Foundation.pow($0, Double(e)) })
    }

    @Test func powIntegralExponentOfNegativeBase() throws {
        try checkElementwise("pow 3 of negatives", draw: symmetric(2), op: { $0.pow(3) }, reference: { $0 * $0 * $0 })
    }

    @Test("pow with a tensor exponent, broadcasting", arguments: [
        ([3, 5], [3, 5]), ([3, 1, 5], [4, 1]), ([5], [2, 3, 5]), ([2, 3], [1]),
    ])
    func powTensor(_ shapes: ([Int], [Int])) throws {
        try checkGradients("pow \(shapes.0)^\(shapes.1)",
                           inputs: [GradInput(shapes.0, draw: positive), GradInput(shapes.1, draw: symmetric(2))],
                           op: { try $0[0].pow($0[1]) }, reference: { Ref.broadcast($0[0], $0[1], Foundation.pow) })
    }

    @Test func clampPassesGradientOnlyInside() throws {
        try checkElementwise("clamp", draw: avoiding([-0.5, 0.3], range: 1), op: { $0.clamp(min: -0.5, max: 0.3) },
                             reference: { Swift.min(Swift.max($0, -0.5), 0.3) })
        try checkElementwise("clamp min only", draw: avoiding([0.2], range: 1), op: { $0.clamp(min: 0.2) },
                             reference: { Swift.max($0, 0.2) })
        let x = try Tensor(shape: [4], storage: [-2, 0, 0.5, 3], requiresGrad: true)
        let y = x.clamp(min: 0, max: 1)
        #expect(y.storage == [0, 0, 0.5, 1])
        try y.sum().backward()
        // Inside the closed interval (including the bound 0) the gradient is 1; outside 0.
        #expect(x.grad?.storage == [0, 1, 1, 0])
        #expect(try Tensor(shape: [1], storage: [.nan]).clamp(min: 0, max: 1).item().isNaN)
    }
}

@Suite("Activation gradients and stability")
struct ActivationGradTests {
    static func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }

    @Test func reluFamily() throws {
        try checkElementwise("relu", draw: awayFromZero, op: { $0.relu() }, reference: { Swift.max($0, 0) })
        try checkElementwise("leakyRelu", draw: awayFromZero, op: { $0.leakyRelu(slope: 0.2) },
                             reference: { $0 > 0 ? $0 : 0.2 * $0 })
        try checkElementwise("leakyRelu default", draw: awayFromZero, op: { $0.leakyRelu() },
                             reference: { $0 > 0 ? $0 : 0.01 * $0 })
    }

    @Test func smoothActivations() throws {
        try checkElementwise("sigmoid", draw: symmetric(6), op: { $0.sigmoid() }, reference: Self.sigmoid)
        try checkElementwise("tanh", draw: symmetric(3), op: { $0.tanh() }, reference: { Foundation.tanh($0) })
        try checkElementwise("silu", draw: symmetric(5), op: { $0.silu() }, reference: { $0 * Self.sigmoid($0) })
        try checkElementwise("gelu", draw: symmetric(4), op: { $0.gelu() },
                             reference: { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) })
        try checkElementwise("gelu tanh", draw: symmetric(4), op: { $0.gelu(approximate: true) }, reference: { x in
            0.5 * x * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
        })
    }

    @Test("softplus with PyTorch's threshold", arguments: [(1, 20), (2, 3), (0.5, 1)] as [(Float, Float)])
    func softplus(_ args: (Float, Float)) throws {
        let (beta, threshold) = (Double(args.0), Double(args.1))
        // Stay away from the threshold, where PyTorch's definition switches branch.
        try checkElementwise("softplus β=\(beta) t=\(threshold)", draw: avoiding([threshold / beta], range: 4),
                             op: { $0.softplus(beta: args.0, threshold: args.1) },
                             reference: { x in beta * x > threshold ? x : Foundation.log1p(Foundation.exp(beta * x)) / beta })
    }

    @Test func hardActivations() throws {
        let draw = avoiding([-3, 3], gap: 0.1, range: 5)
        try checkElementwise("hardSigmoid", draw: draw, op: { $0.hardSigmoid() },
                             reference: { Swift.min(Swift.max(($0 + 3) / 6, 0), 1) })
        try checkElementwise("hardSwish", draw: draw, op: { $0.hardSwish() },
                             reference: { $0 * Swift.min(Swift.max(($0 + 3) / 6, 0), 1) })
    }

    @Test func stableForLargeMagnitudes() throws {
        let x = try Tensor(shape: [6], storage: [-1000, -100, -20, 20, 100, 1000], requiresGrad: true)
        let s = x.sigmoid()
        #expect(s.storage.allSatisfy { $0.isFinite })
        #expect(s.storage[0] == 0 && s.storage[5] == 1)
        let sp = x.softplus()
        #expect(sp.storage.allSatisfy { $0.isFinite })
        #expect(sp.storage[4] == 100 && sp.storage[5] == 1000)
        // Without the threshold the stable form still holds: log(1 + e¹⁰⁰) = 100 + log1p(e⁻¹⁰⁰).
        let spNoThreshold = x.softplus(threshold: .infinity)
        #expect(spNoThreshold.storage[4] == 100)
        #expect(Swift.abs(Double(spNoThreshold.storage[1]) - Foundation.exp(-100.0)) < 1e-44)
        try (s + sp).sum().backward()
        #expect(x.grad!.storage.allSatisfy { $0.isFinite })
    }

    @Test func geluKeepsRelativePrecisionInTheNegativeTail() throws {
        let x = try Tensor(shape: [3], storage: [-4, -6, -9])
        for (approximate, reference) in [(false, { (v: Double) in 0.5 * v * Foundation.erfc(-v / 2.0.squareRoot()) }),
                                         // ½(1 + tanh u) written as 1/(1 + e^(−2u)), which Double
                                         // evaluates without cancellation.
                                         (true, { (v: Double) in
                                             v / (1 + Foundation.exp(-2 * (2 / Double.pi).squareRoot() * (v + 0.044715 * v * v * v))) })] {
            let y = x.gelu(approximate: approximate)
            for i in 0..<3 {
                let r = reference(Double(x.storage[i]))
                #expect(Swift.abs(Double(y.storage[i]) - r) <= 1e-5 * Swift.abs(r), "gelu(\(x.storage[i]), approximate: \(approximate))")
            }
        }
    }

    @Test func reluPropagatesNaN() {
        let y = (try! Tensor(shape: [3], storage: [.nan, -1, 2])).relu()
        #expect(y.storage[0].isNaN && y.storage[1] == 0 && y.storage[2] == 2)
    }

    /// Tensors above the parallel threshold split into chunks; every chunk must be right.
    @Test func largeTensorsTakeTheParallelPath() throws {
        let n = 3 * Tensor.pointwiseMinChunk + 17
        var rng = RandomGenerator(seed: 9)
        let x = try Tensor.randn([n], std: 3, using: &rng)
        x.requiresGrad = true
        let y = x.gelu()
        var worst: Double = 0
        for i in 0..<n {
            let v = Double(x.storage[i])
            worst = Swift.max(worst, Swift.abs(Double(y.storage[i]) - 0.5 * v * (1 + Foundation.erf(v / 2.0.squareRoot()))))
        }
        #expect(worst < 1e-5)
        let z = x.sigmoid()
        try z.backward(Tensor.ones([n]))
        for i in [0, n / 3, n / 2, n - 1] {
            let s = Self.sigmoid(Double(x.storage[i]))
            #expect(Swift.abs(Double(x.grad!.storage[i]) - s * (1 - s)) < 1e-6)
        }
    }
}
