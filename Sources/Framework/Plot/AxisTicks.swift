import Foundation

/// The range of one chart axis and its labelled tick marks: 1-2-5 steps on a linear axis,
/// decades on a log axis, or one tick per category.
public struct AxisTicks: Equatable, Sendable {
    /// Data value at the start of the axis.
    public var lower: Double
    /// Data value at the end of the axis.
    public var upper: Double
    /// Data values of the labelled ticks, ascending.
    public var values: [Double]
    /// One label per tick.
    public var labels: [String]
    /// Unlabelled ticks between the labelled ones (2…9 × 10ᵏ on a log axis).
    public var minorValues: [Double]
    public var isLog: Bool

    public init(lower: Double, upper: Double, values: [Double], labels: [String],
                minorValues: [Double] = [], isLog: Bool = false) {
        self.lower = lower
        self.upper = upper
        self.values = values
        self.labels = labels
        self.minorValues = minorValues
        self.isLog = isLog
    }

    /// Where `value` falls along the axis: 0 at `lower`, 1 at `upper`; nil if it can't be
    /// placed (not finite, or not positive on a log axis).
    public func fraction(of value: Double) -> Double? {
        guard value.isFinite else { return nil }
        if isLog {
            guard value > 0, lower > 0 else { return nil }
            return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
        return upper == lower ? 0.5 : (value - lower) / (upper - lower)
    }

    /// Ticks on a 1-2-5 step covering [min, max], with both ends on a tick. Of the 1-2-5
    /// steps near (max − min) / `targetCount`, the one wins that best balances an interval
    /// count close to `targetCount` against axis length left empty (−500…11 200 gets
    /// −2000…12 000 by 2000, not −5000…15 000 by 5000); the coarser wins a tie. An empty or
    /// degenerate range is widened around its value.
    public static func linear(min lo: Double, max hi: Double, targetCount: Int = 5) -> AxisTicks {
        var a = lo, b = hi
        if !a.isFinite || !b.isFinite { (a, b) = (0, 1) }
        if a > b { swap(&a, &b) }
        if b - a <= Swift.max(abs(a), abs(b)) * 1e-12 {
            let pad = a == 0 ? 1 : abs(a) * 0.1
            a -= pad
            b += pad
        }
        let target = Double(Swift.max(1, targetCount))
        let magnitude = pow(10, floor(log10((b - a) / target)))
        var step = magnitude, bestScore = Double.infinity
        for m in [0.5, 1, 2, 5, 10, 20] {
            let candidate = m * magnitude
            let first = floor(a / candidate + 1e-9), last = ceil(b / candidate - 1e-9)
            let intervals = last - first
            let empty = 1 - (b - a) / (intervals * candidate)
            let score = abs(intervals - target) / target + 2 * empty
            if score <= bestScore + 1e-12 {
                bestScore = score
                step = candidate
            }
        }
        let first = floor(a / step + 1e-9), last = ceil(b / step - 1e-9)
        // Dividing by the integer 1/step gives the double nearest the decimal tick (3e-5,
        // not 3 × 1e-5 = 3.0000000000000004e-5), so ticks compare equal to typed values.
        let perUnit = step < 1 ? (1 / step).rounded() : 0
        let values = stride(from: first, through: last, by: 1).map { k -> Double in
            k == 0 ? 0 : step < 1 ? k / perUnit : k * step
        }
        return AxisTicks(lower: values[0], upper: values[values.count - 1], values: values,
                         labels: values.map { label($0, step: step) })
    }

    /// Decade ticks covering [min, max] (values ≤ 0 are ignored), with 2 and 5 × 10ᵏ
    /// labelled too when the range spans a single decade.
    public static func logarithmic(min lo: Double, max hi: Double) -> AxisTicks {
        var a = lo, b = hi
        if !(a > 0) || !a.isFinite { a = b > 0 && b.isFinite ? b / 10 : 1 }
        if !(b > 0) || !b.isFinite { b = a * 10 }
        if a > b { swap(&a, &b) }
        var e0 = Int(floor(log10(a) + 1e-9)), e1 = Int(ceil(log10(b) - 1e-9))
        if e1 <= e0 { e1 = e0 + 1 }
        e0 = Swift.max(e0, -300)
        e1 = Swift.min(e1, 300)
        let decades = e1 - e0
        let every = Swift.max(1, Int((Double(decades) / 6).rounded(.up)))
        var values: [Double] = [], minor: [Double] = []
        for e in e0...e1 {
            let p = pow(10, Double(e))
            if (e - e0) % every == 0 { values.append(p) } else { minor.append(p) }
            guard e < e1, every == 1 else { continue }
            for m in 2...9 {
                if decades == 1 && (m == 2 || m == 5) { values.append(Double(m) * p) } else { minor.append(Double(m) * p) }
            }
        }
        values.sort()
        return AxisTicks(lower: pow(10, Double(e0)), upper: pow(10, Double(e1)), values: values,
                         labels: values.map(logLabel), minorValues: minor, isLog: true)
    }

    /// One tick per category at 0, 1, …, n − 1, the axis running from −½ to n − ½.
    public static func categorical(_ names: [String]) -> AxisTicks {
        AxisTicks(lower: -0.5, upper: Double(names.count) - 0.5,
                  values: names.indices.map(Double.init), labels: names)
    }

    /// A tick label with as many decimals as the step needs; very large or small values
    /// in exponent form.
    public static func label(_ value: Double, step: Double) -> String {
        let big = Swift.max(abs(value), step)
        if big >= 1e6 || step < 1e-4 { return compactExponent(value) }
        let decimals = Swift.max(0, Int(-floor(log10(step) + 1e-9)))
        return String(format: "%.\(decimals)f", value)
    }

    private static func logLabel(_ value: Double) -> String {
        let e = Int(floor(log10(value) + 1e-9))
        if e >= 0 && e < 5 { return String(format: "%.0f", value) }
        if e < 0 && e >= -3 { return String(format: "%.\(-e)f", value) }
        return compactExponent(value)
    }

    /// "2e-5" rather than "2.000000e-05".
    private static func compactExponent(_ value: Double) -> String {
        if value == 0 { return "0" }
        let e = Int(floor(log10(abs(value)) + 1e-9))
        let m = value / pow(10, Double(e))
        let ms = abs(m - m.rounded()) < 1e-6 ? String(format: "%.0f", m) : String(format: "%.1f", m)
        return "\(ms)e\(e)"
    }
}
