import TestSupport
import Foundation
import Testing
@testable import Framework

/// ψ(x) by a route independent of the engine's: ψ(x) = ψ(x + N) − Σ_{n<N} 1/(x + n) with
/// N = 10 000, and three terms of the asymptotic series at x + N (error ~ 1e-18).
func refDigamma(_ x: Double) -> Double {
    let n = 10_000
    var s = 0.0
    for k in 0..<n { s += 1 / (x + Double(k)) }
    let y = x + Double(n)
    return Foundation.log(y) - 1 / (2 * y) - 1 / (12 * y * y) - s
}

@Suite("lgamma, digamma and trigamma")
struct SpecialFunctionTests {
    static let eulerGamma = 0.57721566490153286061

    @Test func knownValues() {
        func close(_ a: Double, _ b: Double, _ rel: Double = 1e-10) -> Bool { Swift.abs(a - b) <= rel * Swift.max(1, Swift.abs(b)) }
        #expect(close(Special.digamma(1), -Self.eulerGamma))
        #expect(close(Special.digamma(0.5), -Self.eulerGamma - 2 * Foundation.log(2.0)))
        #expect(close(Special.digamma(2), 1 - Self.eulerGamma))
        #expect(close(Special.digamma(-0.5), 0.03648997397857652))
        #expect(close(Special.trigamma(1), Double.pi * Double.pi / 6))
        #expect(close(Special.trigamma(0.5), Double.pi * Double.pi / 2))
        #expect(close(Special.trigamma(-0.5), Double.pi * Double.pi / 2 + 4))
        #expect(close(Special.lgamma(0.5), 0.5 * Foundation.log(Double.pi)))
        #expect(Swift.abs(Special.lgamma(1)) < 1e-14 && Swift.abs(Special.lgamma(2)) < 1e-14)
        #expect(Special.digamma(0) == -.infinity)
        #expect(Special.digamma(-2).isNaN)
        #expect(Special.trigamma(-3) == .infinity)
        #expect(Special.lgamma(0) == .infinity && Special.lgamma(-1) == .infinity)
    }

    @Test("agree with libm lgamma and an independent digamma over a wide grid",
          arguments: [1e-3, 0.1, 0.37, 0.999, 1.5, 2.5, 5.99, 6, 7.3, 42, 137.5, 1e4, 1e7, -0.3, -1.7, -5.5])
    func grid(_ x: Double) {
        let lg = Special.lgamma(x)
        #expect(Swift.abs(lg - Foundation.lgamma(x)) <= 1e-12 * Swift.max(1, Swift.abs(lg)), "lgamma(\(x))")
        let dg = Special.digamma(x)
        // The sum in refDigamma carries rounding ~1e-12 relative to its largest term 1/x.
        #expect(Swift.abs(dg - refDigamma(x)) <= 1e-9 * Swift.max(1, Swift.abs(dg), 1 / Swift.abs(x)), "digamma(\(x))")
        // Trigamma is the derivative of digamma: compare with a central difference.
        let h = 1e-5 * Swift.max(1e-3, Swift.abs(x))
        let numeric = (Special.digamma(x + h) - Special.digamma(x - h)) / (2 * h)
        #expect(Swift.abs(Special.trigamma(x) - numeric) <= 1e-6 * Swift.max(1, Swift.abs(numeric)), "trigamma(\(x))")
    }

    @Test func lgammaOpGradientIsDigamma() throws {
        try checkElementwise("lgamma", draw: positive, op: { $0.lgamma() }, reference: { Foundation.lgamma($0) })
        try checkElementwise("lgamma wide", draw: { 0.05 + 30 * Double($0.uniform()) }, op: { $0.lgamma() },
                             reference: { Foundation.lgamma($0) })
        try checkElementwise("lgamma negative", draw: { -0.9 + 0.8 * Double($0.uniform()) }, op: { $0.lgamma() },
                             reference: { Foundation.lgamma($0) })
    }

    @Test func digammaOpGradientIsTrigamma() throws {
        try checkElementwise("digamma", shape: [3, 5], draw: positive, op: { $0.digamma() }, reference: refDigamma)
        try checkElementwise("digamma wide", shape: [2, 3], draw: { 0.3 + 20 * Double($0.uniform()) },
                             op: { $0.digamma() }, reference: refDigamma)
    }
}
