import TestSupport
import Foundation
import Testing
@testable import Framework

@Suite("Element-wise losses: BCE with logits, MSE, L1, smooth L1")
struct ElementwiseLossTests {
    static func refBCE(_ x: Double, _ t: Double, _ w: Double) -> Double {
        let s = 1 / (1 + Foundation.exp(-x))
        return -(w * t * Foundation.log(s) + (1 - t) * Foundation.log(1 - s))
    }

    @Test("BCE with logits gradient", arguments: [nil, 2.5, 0.4] as [Float?])
    func bce(_ posWeight: Float?) throws {
        let w = Double(posWeight ?? 1)
        let unit: (inout RandomGenerator) -> Double = { Double($0.uniform()) }
        try checkGradients("bce posWeight \(String(describing: posWeight))",
                           inputs: [GradInput([3, 5, 7], draw: symmetric(4)), GradInput([3, 5, 7], draw: unit)],
                           op: { try Loss.binaryCrossEntropyWithLogits(logits: $0[0], targets: $0[1], posWeight: posWeight) },
                           reference: { Ref.broadcast($0[0], $0[1]) { Self.refBCE($0, $1, w) } })
    }

    @Test func bceKnownValuesAndStability() throws {
        let x = try Tensor(shape: [5], storage: [0, 1, 100, -100, 30], requiresGrad: true)
        let t = try Tensor(shape: [5], storage: [1, 1, 0, 1, 1])
        let l = try Loss.binaryCrossEntropyWithLogits(logits: x, targets: t)
        #expect(Swift.abs(l.storage[0] - Float(Foundation.log(2.0))) < 1e-6)
        // PyTorch: binary_cross_entropy_with_logits(tensor(1.), tensor(1.)) = 0.3132617.
        #expect(Swift.abs(l.storage[1] - 0.3132617) < 1e-6)
        #expect(l.storage[2] == 100 && l.storage[3] == 100)
        #expect(l.storage[4] > 0 && l.storage[4] < 1e-12)
        try l.sum().backward()
        #expect(x.grad!.storage.allSatisfy { $0.isFinite })
        // posWeight multiplies only the positive term: at x = 0, t = 1 it scales ln 2.
        let lw = try Loss.binaryCrossEntropyWithLogits(logits: try Tensor.zeros([1]), targets: try Tensor.ones([1]), posWeight: 3)
        #expect(Swift.abs(try lw.item() - 3 * Float(Foundation.log(2.0))) < 1e-6)
    }

    /// Checks both gradients of a loss f(prediction − target), one input at a time with the
    /// other held at 0, so that the difference can be drawn away from f's kinks.
    func pairs(_ name: String, kinks: [Double], op: @escaping (Tensor, Tensor) throws -> Tensor,
               reference: @escaping (Double) -> Double, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let shape = [3, 5, 7]
        let zero = GradInput(shape, differentiable: false) { _ in 0 }
        try checkGradients("\(name) w.r.t. prediction", inputs: [GradInput(shape, draw: avoiding(kinks, range: 2.5)), zero],
                           sourceLocation: sourceLocation, op: { try op($0[0], $0[1]) },
                           reference: { r in r[0].map(reference) })
        try checkGradients("\(name) w.r.t. target", inputs: [zero, GradInput(shape, draw: avoiding(kinks, range: 2.5))],
                           sourceLocation: sourceLocation, op: { try op($0[0], $0[1]) },
                           reference: { r in r[1].map { reference(-$0) } })
    }

    @Test func regressionLosses() throws {
        try pairs("mse", kinks: [], op: { try Loss.mse($0, $1) }, reference: { $0 * $0 })
        try pairs("l1", kinks: [0], op: { try Loss.l1($0, $1) }, reference: { Swift.abs($0) })
        for beta in [1.0, 0.3] {
            try pairs("smoothL1 β=\(beta)", kinks: [0, beta, -beta], op: { try Loss.smoothL1($0, $1, beta: Float(beta)) },
                      reference: { d in Swift.abs(d) < beta ? 0.5 * d * d / beta : Swift.abs(d) - 0.5 * beta })
        }
        try pairs("smoothL1 β=0", kinks: [0], op: { try Loss.smoothL1($0, $1, beta: 0) }, reference: { Swift.abs($0) })
    }

    @Test func regressionKnownValues() throws {
        let p = try Tensor(shape: [4], storage: [0.5, 2, -3, 1])
        let t = try Tensor(shape: [4], storage: [0, 0, 0, 1])
        #expect(try Loss.mse(p, t).storage == [0.25, 4, 9, 0])
        #expect(try Loss.l1(p, t).storage == [0.5, 2, 3, 0])
        #expect(try Loss.smoothL1(p, t).storage == [0.125, 1.5, 2.5, 0])
        #expect(try Loss.smoothL1(p, t, beta: 0).storage == (try Loss.l1(p, t)).storage)
        #expect(throws: TensorError.self) { try Loss.mse(p, try Tensor.zeros([2, 2])) }
        #expect(throws: TensorError.self) { try Loss.smoothL1(p, t, beta: -1) }
    }
}
