import Foundation

/// Scalar activation kernels shared by the tensor ops and the losses.
enum ScalarActivation {
    static let invSqrt2: Float = 0.70710678118654752
    static let invSqrt2Pi: Float = 0.39894228040143268
    static let geluTanhScale: Float = 0.79788456080286536 // √(2/π)
    static let geluCubic: Float = 0.044715

    /// 1 / (1 + e⁻ˣ) without overflow: e^(−|x|) never exceeds 1. Both branches are computed
    /// and selected, since a data-dependent branch mispredicts half the time on activations.
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        let e = Foundation.exp(-Swift.abs(x))
        let r = 1 / (1 + e)
        return x >= 0 ? r : e * r
    }

    /// log(1 + eˣ) = max(x, 0) + log1p(e^(−|x|)), which neither overflows nor loses the
    /// small tail.
    @inline(__always)
    static func softplus(_ x: Float) -> Float {
        Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
    }

    @inline(__always)
    static func hardSigmoid(_ x: Float) -> Float {
        let y = (x + 3) / 6
        return y < 0 ? 0 : (y > 1 ? 1 : y)
    }
}
