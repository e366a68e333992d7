import Foundation
import Testing
@testable import Framework

@Suite("Percentile clip and arcsinh stretch")
struct DisplayScalingTests {
    @Test func percentilesInterpolateLikeNumpy() {
        let v: [Float] = [0, 10, 20, 30, 40]
        #expect(DisplayScaling.percentile(sortedValues: v, 0) == 0)
        #expect(DisplayScaling.percentile(sortedValues: v, 100) == 40)
        #expect(DisplayScaling.percentile(sortedValues: v, 50) == 20)
        #expect(abs(DisplayScaling.percentile(sortedValues: v, 12.5) - 5) < 1e-12)  // position 0.5
        #expect(DisplayScaling.percentile(sortedValues: [7], 99.5) == 7)
    }

    @Test func knownValuesPerBand() throws {
        // Band 0: 0…100 in steps of 1 (101 values): the 10th/90th percentiles are 10 and 90.
        // Band 1: the same × 1000 + 5, so per-band scaling gives identical output.
        let n = 101
        var img = Image(channels: 2, height: 1, width: n)
        for i in 0..<n { img.pixels[i] = Float(i); img.pixels[n + i] = Float(i) * 1000 + 5 }
        let s = DisplayScaling(lowPercentile: 10, highPercentile: 90, softening: 0.5)
        let out = try s.apply(img)
        let norm = asinh(1 / 0.5)
        for i in [0, 10, 30, 50, 90, 100] {
            let x = min(max((Double(i) - 10) / 80, 0), 1)
            let want = Float(asinh(x / 0.5) / norm)
            #expect(abs(out.pixels[i] - want) < 1e-6, "pixel \(i)")
            #expect(abs(out.pixels[n + i] - want) < 1e-5, "band 1 pixel \(i)")
        }
        #expect(out.pixels[0] == 0 && out.pixels[100] == 1)
        #expect(out.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        // The stretch brightens: at x = 0.25 the output is asinh(0.5)/asinh(2) ≈ 0.333.
        #expect(out.pixels[30] > 0.33)
    }

    @Test func largeSofteningIsNearlyLinearAndFlatBandsAreZero() throws {
        let img = Image(channels: 2, height: 1, width: 5, pixels: [0, 1, 2, 3, 4, 7, 7, 7, 7, 7])
        let out = try DisplayScaling(lowPercentile: 0, highPercentile: 100, softening: 1000).apply(img)
        for i in 0..<5 { #expect(abs(out.pixels[i] - Float(i) / 4) < 1e-4) }
        #expect(Array(out.pixels[5...]) == [0, 0, 0, 0, 0])
    }

    @Test func invalidSettingsAreRejected() throws {
        let img = Image(channels: 1, height: 1, width: 2)
        #expect(throws: TensorError.self) { try DisplayScaling(lowPercentile: 60, highPercentile: 40).apply(img) }
        #expect(throws: TensorError.self) { try DisplayScaling(softening: 0).apply(img) }
        let decoded = try JSONDecoder().decode(DisplayScaling.self, from: Data(#"{"softening": 0.02}"#.utf8))
        #expect(decoded == DisplayScaling(lowPercentile: 0.5, highPercentile: 99.5, softening: 0.02))
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode(DisplayScaling.self, from: Data(#"{"lowPercentile": 101}"#.utf8))
        }
    }
}
