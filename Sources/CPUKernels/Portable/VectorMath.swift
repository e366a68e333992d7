/// Activations on 16 floats at once.
///
/// A scalar `expf` call per element made SiLU over a third of EfficientNet's inference, and
/// ReLU through a generic element closure (a call per element) an eighth of a training step
/// of `zoobot_like`. The
/// element functions are `@inlinable`, so they compile into any caller for its own CPU; the
/// `applyAVX512` entry point (AVX512Kernels) is the same loop compiled for AVX-512, for callers
/// that have checked the CPU. This module is compiled for baseline x86-64: while it lived in the
/// AVX-512 module, the optimiser emitted its specialised `apply` there, and CPUs without
/// AVX-512 died of an illegal instruction on the first ReLU. NaN inputs give NaN outputs, so a diverging run still trips the trainer's
/// NaN check.
public enum VectorMath {
    public typealias Vec = SIMD16<Float>

    /// The functions over whole buffers.
    public enum Function: Sendable {
        /// `out = max(x, 0)`, NaN kept.
        case relu
        /// `out = x > 0 ? g : 0`: ReLU's backward from its output `x`, `y` holding `g`.
        case reluGradient
        /// `out = 1 / (1 + e⁻ˣ)`.
        case sigmoid
        /// `out = x·sigmoid(x)`.
        case silu
        /// `out = g·s·(1 + x·(1 − s))` with `s = sigmoid(x)`: SiLU's backward, `y` holding `g`.
        case siluGradient
        /// `out = x·Φ(x)`, Φ the standard normal CDF (exact GELU).
        case gelu
        /// `out = g·(Φ(x) + x·φ(x))`: GELU's backward, `y` holding `g`.
        case geluGradient
    }

    /// eˣ to about 1 ulp (Cephes' `expf`): `x = n·ln 2 + r` with `|r| ≤ ln 2 / 2`, a degree-6
    /// polynomial for eʳ, and 2ⁿ built in the exponent bits. Above 88.72 the result is +∞ and
    /// below −87.34 it is 0, as `expf` rounds them (`expf` keeps subnormals down to −103.9;
    /// they differ from 0 by less than 1.2·10⁻³⁸).
    @_transparent
    public static func exp(_ x: Vec) -> Vec {
        // Compare-and-select: `clamped` goes through unspecialised generic min/max calls.
        let lo = Vec(repeating: -87.33654), hi = Vec(repeating: 88.72283)
        let xc = x.replacing(with: lo, where: x .< lo).replacing(with: hi, where: x .> hi)
        // Round to nearest with the 1.5·2²³ trick: `rounded()` is a libm call per lane on
        // baseline x86-64 (no SSE4.1), and the sum's low mantissa bits are n as an integer.
        let magic: Float = 12_582_912
        let shifted = xc * 1.44269504088896341 + magic
        let n = shifted - magic
        // ln 2 in two parts, so that n·ln2_hi is exact.
        let r = (xc - n * 0.693359375) - n * -2.12194440e-4
        var p = Vec(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        p = p * (r * r) + r + 1
        // 2ⁿ as 2^⌊n/2⌋ · 2^⌈n/2⌉: n reaches 128 at the top, past the largest exponent.
        let whole = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- unsafeBitCast(Vec(repeating: magic), to: SIMD16<Int32>.self)
        let half = whole &>> 1
        let scaleA = unsafeBitCast((half &+ 127) &<< 23, to: Vec.self)
        let scaleB = unsafeBitCast((whole &- half &+ 127) &<< 23, to: Vec.self)
        return (p * scaleA * scaleB)
            .replacing(with: .infinity, where: x .> hi)
            .replacing(with: 0, where: x .< lo)
            .replacing(with: x, where: x .!= x)
    }

    /// 1 / (1 + e⁻ˣ).
    @_transparent
    public static func sigmoid(_ x: Vec) -> Vec {
        1 / (1 + exp(-x))
    }

    /// erfc(z) for z ≥ 0 with relative error below 1.2·10⁻⁷ everywhere (the Chebyshev fit of
    /// Numerical Recipes' `erfcc`), so Φ keeps its precision in the far negative tail.
    @_transparent
    public static func erfcNonNegative(_ z: Vec) -> Vec {
        let t = 1 / (1 + 0.5 * z)
        var p = Vec(repeating: 0.17087277)
        p = p * t - 0.82215223
        p = p * t + 1.48851587
        p = p * t - 1.13520398
        p = p * t + 0.27886807
        p = p * t - 0.18628806
        p = p * t + 0.09678418
        p = p * t + 0.37409196
        p = p * t + 1.00002368
        p = p * t - 1.26551223
        return t * exp(p - z * z)
    }

    /// Φ(x) = ½·erfc(−x/√2), through erfc of |x|/√2 on either side.
    @_transparent
    public static func normalCDF(_ x: Vec) -> Vec {
        let magnitude = unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x7fff_ffff, to: Vec.self)
        let half = 0.5 * erfcNonNegative(magnitude * 0.70710678118654752)
        return (1 - half).replacing(with: half, where: x .< 0).replacing(with: x, where: x .!= x)
    }

    /// One vector of `f`, for kernels that fuse it into their own loops.
    @_transparent
    public static func evaluate(_ f: Function, _ x: Vec, _ y: Vec) -> Vec {
        switch f {
        case .relu: return x.replacing(with: 0, where: x .< 0)
        case .reluGradient: return Vec().replacing(with: y, where: x .> 0)
        case .sigmoid: return sigmoid(x)
        case .silu: return x * sigmoid(x)
        case .siluGradient:
            let s = sigmoid(x)
            return y * s * (1 + x * (1 - s))
        case .gelu: return x * normalCDF(x)
        case .geluGradient:
            let pdf = 0.39894228040143268 * exp(-0.5 * x * x)
            return y * (normalCDF(x) + x * pdf)
        }
    }

    /// `out[i] = f(x[i], y[i])` for `count` elements (`y` is read only by the gradients).
    @inlinable @inline(__always)
    public static func apply(_ f: Function, x: UnsafePointer<Float>, y: UnsafePointer<Float>?,
                             out: UnsafeMutablePointer<Float>, count: Int) {
        let yy = y ?? x
        var i = 0
        while i &+ 16 <= count {
            let xv = UnsafeRawPointer(x + i).loadUnaligned(as: Vec.self)
            let yv = UnsafeRawPointer(yy + i).loadUnaligned(as: Vec.self)
            UnsafeMutableRawPointer(out + i).storeBytes(of: evaluate(f, xv, yv), as: Vec.self)
            i &+= 16
        }
        if i < count {
            var xv = Vec(), yv = Vec()
            for l in 0..<(count &- i) { xv[l] = x[i &+ l]; yv[l] = yy[i &+ l] }
            let r = evaluate(f, xv, yv)
            for l in 0..<(count &- i) { out[i &+ l] = r[l] }
        }
    }
}
