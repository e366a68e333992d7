import Foundation
import Testing
@testable import Framework

@Suite("Axis ticks")
struct AxisTicksTests {
    @Test func unitRangeGetsFifths() {
        let t = AxisTicks.linear(min: 0, max: 0.93)
        #expect(t.values.count == 6)
        for (v, e) in zip(t.values, [0, 0.2, 0.4, 0.6, 0.8, 1.0]) { #expect(abs(v - e) < 1e-12) }
        #expect(t.labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(t.lower == 0 && abs(t.upper - 1) < 1e-12)
    }

    @Test(arguments: [(0.0, 0.93), (1, 60), (0.31, 2.27), (-3.2, 7.9), (1e-5, 3e-5), (1234, 98765), (-0.004, -0.001), (0, 1e7)])
    func stepsAreOneTwoFiveAndCoverTheData(lo: Double, hi: Double) {
        let t = AxisTicks.linear(min: lo, max: hi)
        #expect(t.lower <= lo && t.upper >= hi)
        #expect(t.values.first == t.lower && t.values.last == t.upper)
        #expect((3...11).contains(t.values.count), "\(t.values.count) ticks for \(lo)…\(hi)")
        let step = t.values[1] - t.values[0]
        let mantissa = step / pow(10, floor(log10(step) + 1e-9))
        #expect([1.0, 2, 5].contains { abs(mantissa - $0) < 1e-6 }, "step \(step)")
        for k in 1..<t.values.count { #expect(abs(t.values[k] - t.values[k - 1] - step) < step * 1e-9) }
        #expect(Set(t.labels).count == t.labels.count, "labels repeat: \(t.labels)")
    }

    @Test func degenerateRangesAreWidened() {
        let flat = AxisTicks.linear(min: 5, max: 5)
        #expect(flat.lower < 5 && flat.upper > 5)
        let zero = AxisTicks.linear(min: 0, max: 0)
        #expect(zero.lower < 0 && zero.upper > 0)
        let nan = AxisTicks.linear(min: .nan, max: 3)
        #expect(nan.lower == 0 && nan.upper == 1)
    }

    @Test func labelsAvoidNegativeZeroAndUseExponentsForExtremes() {
        let t = AxisTicks.linear(min: -1, max: 1)
        #expect(t.labels.contains("0.0") || t.labels.contains("0"))
        #expect(!t.labels.contains { $0.hasPrefix("-0") && Double($0) == 0 })
        #expect(AxisTicks.label(2_000_000, step: 1_000_000) == "2e6")
        #expect(AxisTicks.label(0.00002, step: 0.00001) == "2e-5")
        #expect(AxisTicks.label(150, step: 50) == "150")
    }

    @Test func logTicksAreDecades() {
        let t = AxisTicks.logarithmic(min: 3, max: 700)
        #expect(t.isLog)
        #expect(t.values == [1, 10, 100, 1000])
        #expect(t.labels == ["1", "10", "100", "1000"])
        #expect(t.minorValues.contains(20) && t.minorValues.contains(300))
        #expect(abs(t.fraction(of: 10)! - 1.0 / 3) < 1e-12)
        #expect(t.fraction(of: 0) == nil && t.fraction(of: -4) == nil)
        let narrow = AxisTicks.logarithmic(min: 12, max: 80)
        #expect(narrow.values == [10, 20, 50, 100])
        let wide = AxisTicks.logarithmic(min: 1e-6, max: 1e6)
        #expect(wide.values.count <= 7 && wide.values.first == 1e-6 && wide.values.last == 1e6)
    }

    @Test func categoriesSitOnIntegers() {
        let t = AxisTicks.categorical(["a", "b", "c"])
        #expect(t.values == [0, 1, 2] && t.lower == -0.5 && t.upper == 2.5)
        #expect(t.fraction(of: 1) == 0.5)
    }
}
