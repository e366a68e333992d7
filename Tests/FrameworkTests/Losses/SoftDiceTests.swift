import TestSupport
import Testing
@testable import Framework

func refSoftDice(_ p: Ref, _ t: Ref, epsilon e: Double) -> Ref {
    let n = p.shape[0], m = p.count / n
    var out = Ref.zeros([n])
    for i in 0..<n {
        var spt = 0.0, sp = 0.0, st = 0.0
        for j in i * m..<(i + 1) * m { spt += p.data[j] * t.data[j]; sp += p.data[j]; st += t.data[j] }
        out.data[i] = 1 - (2 * spt + e) / (sp + st + e)
    }
    return out
}

@Suite("Soft Dice loss")
struct SoftDiceTests {
    @Test("gradient for probabilities and soft targets", arguments: [1, 0.01] as [Float])
    func gradient(_ eps: Float) throws {
        let unit: (inout RandomGenerator) -> Double = { Double($0.uniform()) }
        try checkGradients("softDice ε=\(eps)", inputs: [GradInput([3, 2, 5], draw: unit), GradInput([3, 2, 5], draw: unit)],
                           op: { try Loss.softDice(probabilities: $0[0], targets: $0[1], epsilon: eps) },
                           reference: { refSoftDice($0[0], $0[1], epsilon: Double(eps)) })
    }

    @Test func knownValues() throws {
        let t = try Tensor(shape: [2, 4], storage: [1, 0, 1, 1, 1, 1, 1, 1])
        let p = try Tensor(shape: [2, 4], storage: [1, 0, 1, 1, 0, 0, 0, 0])
        let loss = try Loss.softDice(probabilities: p, targets: t)
        #expect(loss.shape == [2])
        // A perfect prediction costs 0; predicting nothing against 4 positives costs 1 − 1/5.
        #expect(loss.storage[0] == 0)
        #expect(Swift.abs(loss.storage[1] - 0.8) < 1e-7)
        #expect(throws: TensorError.self) { try Loss.softDice(probabilities: p, targets: try Tensor.zeros([2, 3])) }
    }
}
