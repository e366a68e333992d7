import TestSupport
import Foundation
import Testing
@testable import Framework

/// The Dirichlet-multinomial negative log-likelihood per question, naively with libm's lgamma.
func refDirichletMultinomial(_ alpha: Ref, _ counts: Ref, _ questions: [Range<Int>]) -> Ref {
    let n = alpha.shape[0]
    var out = Ref.zeros([n, questions.count])
    for i in 0..<n {
        for (q, cols) in questions.enumerated() {
            let k = cols.map { counts[[i, $0]] }, a = cols.map { alpha[[i, $0]] }
            let total = k.reduce(0, +), a0 = a.reduce(0, +)
            if total == 0 { continue }
            var ll = Foundation.lgamma(total + 1) + Foundation.lgamma(a0) - Foundation.lgamma(total + a0)
            for (kj, aj) in zip(k, a) { ll += Foundation.lgamma(kj + aj) - Foundation.lgamma(aj) - Foundation.lgamma(kj + 1) }
            out[[i, q]] = -ll
        }
    }
    return out
}

@Suite("Dirichlet-multinomial loss")
struct DirichletMultinomialTests {
    /// Three questions over 8 columns, with column 7 in no question.
    static let questions = [0..<3, 3..<5, 5..<7]

    @Test("gradient with respect to the concentrations", arguments: [(0.5, 3.0), (1.0, 101.0)])
    func gradient(_ range: (Double, Double)) throws {
        let (lo, hi) = range
        let alphaDraw: (inout RandomGenerator) -> Double = { lo + (hi - lo) * Double($0.uniform()) }
        // Integer counts 0…7, so some questions of some rows are unanswered.
        let countDraw: (inout RandomGenerator) -> Double = { Double(Int($0.uniform() * 8)) }
        try checkGradients("dirichletMultinomial α∈[\(lo), \(hi)]",
                           inputs: [GradInput([5, 8], draw: alphaDraw), GradInput([5, 8], differentiable: false, draw: countDraw)],
                           forwardTolerance: 1e-5,
                           op: { try Loss.dirichletMultinomial(concentrations: $0[0], counts: $0[1], questions: Self.questions) },
                           reference: { refDirichletMultinomial($0[0], $0[1], Self.questions) })
    }

    @Test func knownValues() throws {
        // α = (1, 1) is a uniform prior: every split of N votes has probability 1/(N+1).
        // α = (2, 3) and one vote for answer 0: probability α₀/Σα = 0.4.
        let alpha = try Tensor(shape: [2, 2], storage: [1, 1, 2, 3])
        let counts = try Tensor(shape: [2, 2], storage: [2, 1, 1, 0])
        let loss = try Loss.dirichletMultinomial(concentrations: alpha, counts: counts, questions: [0..<2])
        #expect(loss.shape == [2, 1])
        #expect(Swift.abs(loss.storage[0] - Float(Foundation.log(4.0))) < 1e-6)
        #expect(Swift.abs(loss.storage[1] + Float(Foundation.log(0.4))) < 1e-6)
    }

    @Test func unansweredQuestionsContributeExactlyZero() throws {
        let alpha = try Tensor(shape: [2, 5], storage: [3.5, 1.2, 60, 2, 9,
                                                        1.1, 4, 2, 7, 80], requiresGrad: true)
        let counts = try Tensor(shape: [2, 5], storage: [0, 0, 0, 4, 1,
                                                         5, 2, 1, 0, 0])
        let loss = try Loss.dirichletMultinomial(concentrations: alpha, counts: counts, questions: [0..<3, 3..<5])
        #expect(loss.storage[0] == 0)
        #expect(loss.storage[3] == 0)
        #expect(loss.storage[1] > 0 && loss.storage[2] > 0)
        try loss.backward(try Tensor(shape: [2, 2], storage: [1.5, -0.7, 2, 3]))
        let g = alpha.grad!.storage
        #expect(g[0] == 0 && g[1] == 0 && g[2] == 0)
        #expect(g[8] == 0 && g[9] == 0)
        #expect(g[3] != 0 && g[5] != 0)
    }

    @Test func badInputsAreNamed() throws {
        let alpha = try Tensor(shape: [1, 3], storage: [1, 2, 3])
        let counts = try Tensor(shape: [1, 3], storage: [1, -1, 0])
        do {
            _ = try Loss.dirichletMultinomial(concentrations: alpha, counts: counts, questions: [0..<3])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("[0, 1]"))
        }
        let zeroAlpha = try Tensor(shape: [1, 3], storage: [1, 0, 3])
        #expect(throws: TensorError.self) {
            try Loss.dirichletMultinomial(concentrations: zeroAlpha, counts: try Tensor.ones([1, 3]), questions: [0..<3])
        }
        #expect(throws: TensorError.self) {
            try Loss.dirichletMultinomial(concentrations: alpha, counts: try Tensor.ones([1, 3]), questions: [1..<4])
        }
        #expect(throws: TensorError.self) {
            try Loss.dirichletMultinomial(concentrations: alpha, counts: try Tensor.ones([3]), questions: [0..<3])
        }
    }
}
