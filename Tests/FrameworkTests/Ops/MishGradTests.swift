import TestSupport
import Foundation
import Testing
@testable import Framework

@Suite("Mish activation")
struct MishGradTests {
    @Test func gradientMatchesFiniteDifferences() throws {
        try checkElementwise("mish", draw: symmetric(6), op: { $0.mish() },
                             reference: { $0 * Foundation.tanh(Foundation.log1p(Foundation.exp($0))) })
    }

    @Test func matchesFloat64Values() throws {
        // x·tanh(log1p(exp x)) in Float64 (Python's math module), including a large x where
        // softplus must not overflow.
        let x = try Tensor(shape: [6], storage: [-3, -1, 0, 1, 3, 25])
        let expected: [Float] = [-0.14564746, -0.30340146, 0, 0.86509839, 2.98653500, 25]
        for (a, b) in zip(x.mish().storage, expected) { #expect(Swift.abs(a - b) < 1e-5, "\(a) vs \(b)") }
    }
}
