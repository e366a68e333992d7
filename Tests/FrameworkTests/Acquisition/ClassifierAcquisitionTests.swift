import Foundation
import Testing
@testable import Framework

@Suite("Classifier acquisition functions")
struct ClassifierAcquisitionTests {
    /// Two examples seen by two passes each.
    static func input(_ passes: [[[Float]]]) -> AcquisitionInput { AcquisitionInput(passes: passes) }

    @Test func entropyOfAFairCoinIsLn2() {
        #expect(abs(PredictiveStatistics.entropy([0.5, 0.5] as [Double]) - log(2)) < 1e-12)
        #expect(PredictiveStatistics.entropy([1, 0] as [Double]) == 0)
        #expect(abs(PredictiveStatistics.entropy([0.25, 0.25, 0.25, 0.25] as [Double]) - log(4)) < 1e-12)
    }

    @Test func maxEntropyUsesTheMeanPredictive() throws {
        // Example 0: passes [1,0] and [0,1] average to [0.5,0.5] → ln 2; example 1 certain.
        let s = try MaxEntropyAcquisition().scores(Self.input([[[1, 0], [1, 0]], [[0, 1], [1, 0]]]))
        #expect(abs(s[0] - log(2)) < 1e-9)
        #expect(abs(s[1]) < 1e-9)
    }

    @Test func baldIsZeroWhenPassesAgreeAndPositiveWhenTheyDisagreeWithTheSameMean() throws {
        // Both examples have mean [0.5, 0.5]; example 0's passes agree, example 1's disagree.
        let s = try BALDAcquisition().scores(Self.input([[[0.5, 0.5], [0.9, 0.1]], [[0.5, 0.5], [0.1, 0.9]]]))
        #expect(abs(s[0]) < 1e-9)
        // ln 2 − H(0.9, 0.1)
        let expected = log(2) - PredictiveStatistics.entropy([0.9, 0.1] as [Double])
        #expect(abs(s[1] - expected) < 1e-6)
        // Max entropy cannot tell them apart; BALD can.
        let h = try MaxEntropyAcquisition().scores(Self.input([[[0.5, 0.5], [0.9, 0.1]], [[0.5, 0.5], [0.1, 0.9]]]))
        #expect(abs(h[0] - h[1]) < 1e-6)
    }

    @Test func marginIsOneMinusTheGapOfTheMean() throws {
        let s = try MarginAcquisition().scores(Self.input([[[0.6, 0.3, 0.1], [0.5, 0.5, 0]], [[0.8, 0.1, 0.1], [0.5, 0.5, 0]]]))
        // mean [0.7, 0.2, 0.1] → 1 − 0.5; mean [0.5, 0.5, 0] → 1.
        #expect(abs(s[0] - 0.5) < 1e-6)
        #expect(abs(s[1] - 1) < 1e-6)
    }

    @Test func variationRatiosCountPassesAgainstTheMode() throws {
        // Example 0: argmaxes 0, 0, 1, 0 → 1 − 3/4; example 1: all 1 → 0.
        let passes: [[[Float]]] = [[[0.9, 0.1], [0.2, 0.8]], [[0.6, 0.4], [0.3, 0.7]], [[0.4, 0.6], [0.1, 0.9]], [[0.7, 0.3], [0.4, 0.6]]]
        let s = try VariationRatiosAcquisition().scores(Self.input(passes))
        #expect(abs(s[0] - 0.25) < 1e-12)
        #expect(s[1] == 0)
    }

    @Test func selectionIsTopKWithTiesByIndex() throws {
        var rng = RandomGenerator(seed: 1)
        let passes: [[[Float]]] = [[[0.5, 0.5], [0.9, 0.1], [0.5, 0.5], [0.6, 0.4]]]
        #expect(try MaxEntropyAcquisition().select(k: 3, from: Self.input(passes), rng: &rng) == [0, 2, 3])
    }

    @Test func randomSelectionIsSeededAndDistinct() throws {
        let input = Self.input([Array(repeating: [0.5, 0.5], count: 50)])
        var a = RandomGenerator(seed: 7), b = RandomGenerator(seed: 7), c = RandomGenerator(seed: 8)
        let pa = try RandomAcquisition(seed: 0).select(k: 10, from: input, rng: &a)
        #expect(pa == (try RandomAcquisition(seed: 0).select(k: 10, from: input, rng: &b)))
        #expect(pa != (try RandomAcquisition(seed: 0).select(k: 10, from: input, rng: &c)))
        #expect(Set(pa).count == 10 && pa.allSatisfy { (0..<50).contains($0) })
        #expect(try RandomAcquisition(seed: 3).scores(input) == RandomAcquisition(seed: 3).scores(input))
    }

    @Test func malformedPassesAreRefused() {
        #expect(throws: TensorError.self) { try BALDAcquisition().scores(Self.input([])) }
        #expect(throws: TensorError.self) { try MarginAcquisition().scores(Self.input([[[0.5, 0.5]], [[0.5, 0.3, 0.2]]])) }
        #expect(throws: TensorError.self) { try MarginAcquisition().scores(Self.input([[[1]]])) }
    }
}
