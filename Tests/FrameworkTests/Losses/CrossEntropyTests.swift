import TestSupport
import Foundation
import Testing
@testable import Framework

/// The per-example formula of PyTorch's cross_entropy(reduction='none'), naively in Float64.
func refCrossEntropy(_ z: Ref, targets: [Int], smoothing eps: Double, weights: [Double]?) -> Ref {
    let n = z.shape[0], c = z.shape[1]
    let w = weights ?? [Double](repeating: 1, count: c)
    var out = Ref.zeros([n])
    for i in 0..<n {
        let row = (0..<c).map { z[[i, $0]] }
        let logZ = Foundation.log(row.reduce(0) { $0 + Foundation.exp($1) })
        let nll = (0..<c).map { logZ - row[$0] }
        out.data[i] = (1 - eps) * w[targets[i]] * nll[targets[i]]
            + eps / Double(c) * (0..<c).reduce(0) { $0 + w[$1] * nll[$1] }
    }
    return out
}

@Suite("Cross-entropy loss")
struct CrossEntropyTests {
    static let targets = [3, 0, 6, 6, 2]

    @Test("gradient with smoothing and class weights", arguments: [0, 0.1, 0.35] as [Float], [false, true])
    func gradient(_ eps: Float, _ weighted: Bool) throws {
        let weights: [Float]? = weighted ? [0.5, 1, 2, 0.25, 1.5, 3, 0.75] : nil
        try checkGradients("crossEntropy ε=\(eps) weighted=\(weighted)", inputs: [GradInput([5, 7], draw: symmetric(3))],
                           op: { try Loss.crossEntropy(logits: $0[0], targets: Self.targets, labelSmoothing: eps, classWeights: weights) },
                           reference: { refCrossEntropy($0[0], targets: Self.targets, smoothing: Double(eps),
                                                        weights: weights.map { $0.map(Double.init) }) })
    }

    @Test func knownValues() throws {
        // Uniform logits: −log(1/C) = ln C for any target.
        let uniform = try Loss.crossEntropy(logits: try Tensor.zeros([2, 10]), targets: [0, 9])
        #expect(uniform.shape == [2])
        #expect(uniform.storage.allSatisfy { Swift.abs($0 - Float(Foundation.log(10.0))) < 1e-6 })

        // PyTorch: F.cross_entropy(tensor([[1., 2., 3.]]), tensor([0])) = 2.4076059644.
        let z = try Tensor(shape: [1, 3], storage: [1, 2, 3])
        #expect(Swift.abs(try Loss.crossEntropy(logits: z, targets: [0]).item() - 2.4076059644) < 1e-6)

        // Logits ln 1, ln 2, ln 3 give p = 1/6, 2/6, 3/6. Target 2, ε = 0.3, by hand:
        // 0.7·ln 2 + 0.1·(ln 6 + ln 3 + ln 2) = 0.843555…; with weights (1, 2, 3):
        // 0.7·3·ln 2 + 0.1·(ln 6 + 2 ln 3 + 3 ln 2) = 2.062452…
        let logits = try Tensor(shape: [1, 3], storage: [0, Float(Foundation.log(2.0)), Float(Foundation.log(3.0))])
        let smoothed = try Loss.crossEntropy(logits: logits, targets: [2], labelSmoothing: 0.3).item()
        #expect(Swift.abs(smoothed - 0.8435546) < 1e-5)
        let weighted = try Loss.crossEntropy(logits: logits, targets: [2], labelSmoothing: 0.3, classWeights: [1, 2, 3]).item()
        #expect(Swift.abs(weighted - 2.0624520) < 1e-5)
    }

    @Test func hugeLogitsStayFinite() throws {
        let z = try Tensor(shape: [2, 3], storage: [1000, -1000, 0, -1000, 1000, 0], requiresGrad: true)
        let loss = try Loss.crossEntropy(logits: z, targets: [0, 0])
        #expect(loss.storage[0] == 0)
        #expect(loss.storage[1] == 2000)
        try loss.sum().backward()
        #expect(z.grad!.storage.allSatisfy { $0.isFinite })
    }

    @Test func badTargetsNameTheIndexAndClassCount() throws {
        let z = try Tensor.zeros([3, 4])
        do {
            _ = try Loss.crossEntropy(logits: z, targets: [0, 4, 1])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("index 1") && "\(error)".contains("C = 4"))
        }
        #expect(throws: TensorError.self) { try Loss.crossEntropy(logits: z, targets: [0, -1, 1]) }
        #expect(throws: TensorError.self) { try Loss.crossEntropy(logits: z, targets: [0, 1]) }
        #expect(throws: TensorError.self) { try Loss.crossEntropy(logits: z, targets: [0, 1, 2], classWeights: [1, 2]) }
        #expect(throws: TensorError.self) { try Loss.crossEntropy(logits: z, targets: [0, 1, 2], labelSmoothing: 1.5) }
    }
}
