import Testing
@testable import Framework

@Suite("k-NN precision and recall of a generated distribution")
struct GenerativePrecisionRecallTests {
    @Test func handComputedOneDimensionalExample() throws {
        // Real points 0, 1, 2, 10 with k = 1: radii (to the nearest other real point)
        // 1, 1, 1, 8, so the real manifold is [−1, 3] ∪ [2, 18].
        // Generated 0.5, 2.5, 20, 30: 20 and 30 lie outside, precision 2/4.
        // Generated radii (k = 1): 2, 2, 10, 10 → balls [−1.5, 2.5], [0.5, 4.5], [10, 30],
        // [20, 40]: real 0, 1, 2 and 10 are all inside, recall 4/4.
        let real: [[Float]] = [[0], [1], [2], [10]]
        let generated: [[Float]] = [[0.5], [2.5], [20], [30]]
        let r = try GenerativePrecisionRecall.compute(real: real, generated: generated, k: 1)
        #expect(r.precision == 0.5)
        #expect(r.recall == 1)
        // With k = 2 the real radii are 2, 1, 2, 9 and the ball around 10 reaches 19: 20
        // is still out (precision 2/4); generated radii 19.5, 17.5, 17.5, 27.5 cover every real point.
        let r2 = try GenerativePrecisionRecall.compute(real: real, generated: generated, k: 2)
        #expect(r2.precision == 0.5 && r2.recall == 1)
    }

    @Test func aCollapsedGeneratorHasPrecisionButNoRecall() throws {
        let real: [[Float]] = (0..<20).map { [Float($0), Float($0 % 3)] }
        // Every sample near one real point: realistic, but covering almost nothing.
        let generated: [[Float]] = (0..<20).map { [5 + Float($0) * 1e-3, 2] }
        let r = try GenerativePrecisionRecall.compute(real: real, generated: generated, k: 3)
        #expect(r.precision == 1)
        #expect(r.recall <= 0.1, "recall \(r.recall)")
    }

    @Test func badInputIsNamed() throws {
        #expect { try GenerativePrecisionRecall.compute(real: [[0], [1]], generated: [[0], [1]], k: 3) } throws: { "\($0)".contains("k = 3") }
        #expect { try GenerativePrecisionRecall.compute(real: [[0], [1], [2]], generated: [[0], [1, 2], [2]], k: 1) } throws: { "\($0)".contains("generated row 1") }
    }
}
