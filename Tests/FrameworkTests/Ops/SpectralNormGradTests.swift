import TestSupport
import Foundation
import Testing
@testable import Framework

@Suite("Spectral normalisation")
struct SpectralNormGradTests {
    /// σ = uᵀ W v with u, v constant, as the op defines it, in Float64.
    static func reference(_ w: Ref, _ u: Ref, _ v: Ref) -> Ref {
        let rows = w.shape[0], cols = w.count / rows
        var sigma = 0.0
        for i in 0..<rows { for j in 0..<cols { sigma += u.data[i] * w.data[i * cols + j] * v.data[j] } }
        return w.map { $0 / sigma }
    }

    @Test("W / σ: gradient through the numerator and σ", arguments: [[3, 4], [4, 2, 3, 3]])
    func gradient(_ shape: [Int]) throws {
        let rows = shape[0], cols = shape.dropFirst().reduce(1, *)
        // Positive entries keep σ away from 0, where W/σ has a pole.
        try checkGradients("spectral estimate \(shape)",
                           inputs: [GradInput(shape, draw: positive), GradInput([rows], differentiable: false, draw: positive),
                                    GradInput([cols], differentiable: false, draw: positive)],
                           op: { t in try t[0].dividedBySpectralEstimate(u: t[1], v: t[2]) },
                           reference: { r in Self.reference(r[0], r[1], r[2]) })
    }

    @Test func powerIterationFindsTheLargestSingularValue() throws {
        // diag(3, 1, 0.5) rotated by a permutation: σ_max = 3.
        let w = try Tensor(shape: [3, 3], storage: [0, 1, 0, 3, 0, 0, 0, 0, 0.5])
        var rng = RandomGenerator(seed: 5)
        let sn = SpectralNorm(for: w, iterations: 30, rng: &rng)
        let normalised = try sn(w)
        #expect(abs(normalised.storage[3] - 1) < 1e-4, "3 / σ = \(normalised.storage[3])")
        #expect(abs(normalised.storage[1] - 1 / 3) < 1e-4)
        // Evaluation mode keeps the estimates.
        let u = sn.u.storage
        sn.eval()
        _ = try sn(try Tensor(shape: [3, 3], storage: [1, 0, 0, 0, 2, 0, 0, 0, 7]))
        #expect(sn.u.storage == u)
        #expect(Set(sn.namedBuffers().map(\.name)) == ["u", "v"], "checkpointed with the model")
    }

    @Test func aMismatchedEstimateNamesTheShapes() throws {
        let w = try Tensor.zeros([2, 3])
        #expect { try w.dividedBySpectralEstimate(u: .zeros([3]), v: .zeros([3])) } throws: { "\($0)".contains("[2, 3]") }
    }
}
