import Foundation

/// Log-gamma, digamma and trigamma in Double: shift the argument up to x ≥ 8 with the
/// recurrence, then sum the asymptotic (Stirling) series, whose truncation error there is
/// below 1e-15; negative arguments go through the reflection formulas.
///
/// Written here rather than taken from libm: libm's lgamma writes the global `signgam`, a
/// data race under parallel loops, and libm has no digamma or trigamma.
enum Special {
    /// ln|Γ(x)|; +inf at the poles 0, −1, −2, …
    static func lgamma(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x == .infinity { return .infinity }
        if x <= 0 {
            let f = x - x.rounded(.down)
            if f == 0 { return .infinity }
            // Γ(x)Γ(1−x) = π / sin(πx); sin(πx) = ±sin(πf) keeps the argument small.
            return Foundation.log(Double.pi / Swift.abs(Foundation.sin(Double.pi * f))) - lgamma(1 - x)
        }
        var x = x, shift = 1.0, logShift = 0.0
        while x < asymptoticFrom {
            shift *= x
            x += 1
        }
        if shift != 1 { logShift = Foundation.log(shift) }
        let inv = 1 / x, inv2 = inv * inv
        let series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680
            - inv2 * (1.0 / 1188 - inv2 * (691.0 / 360_360 - inv2 / 156))))))
        return (x - 0.5) * Foundation.log(x) - x + halfLog2Pi + series - logShift
    }

    /// ψ(x) = d/dx ln Γ(x); −inf at 0 (as SciPy and PyTorch), NaN at the negative integers.
    static func digamma(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x == 0 { return -.infinity }
        if x < 0 {
            let f = x - x.rounded(.down)
            if f == 0 { return .nan }
            // ψ(1−x) − ψ(x) = π·cot(πx), and cot has period 1.
            return digamma(1 - x) - Double.pi / Foundation.tan(Double.pi * f)
        }
        var x = x, acc = 0.0
        while x < asymptoticFrom {
            acc -= 1 / x
            x += 1
        }
        let inv = 1 / x, inv2 = inv * inv
        let series = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240
            - inv2 * (1.0 / 132 - inv2 * 691 / 32760)))))
        return acc + Foundation.log(x) - 0.5 * inv - series
    }

    /// ψ₁(x) = d/dx ψ(x); +inf at the poles 0, −1, −2, …
    static func trigamma(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x <= 0 {
            let f = x - x.rounded(.down)
            if f == 0 { return .infinity }
            // ψ₁(1−x) + ψ₁(x) = π² / sin²(πx).
            let s = Foundation.sin(Double.pi * f)
            return Double.pi * Double.pi / (s * s) - trigamma(1 - x)
        }
        var x = x, acc = 0.0
        while x < asymptoticFrom {
            acc += 1 / (x * x)
            x += 1
        }
        let inv = 1 / x, inv2 = inv * inv
        let tail = inv * inv2 * (1.0 / 6 - inv2 * (1.0 / 30 - inv2 * (1.0 / 42 - inv2 * (1.0 / 30
            - inv2 * (5.0 / 66 - inv2 * 691 / 2730)))))
        return acc + inv + 0.5 * inv2 + tail
    }

    /// Where the series take over; at 6 lgamma's truncation error would still be 6e-14.
    private static let asymptoticFrom = 8.0
    private static let halfLog2Pi = 0.91893853320467274178
}
