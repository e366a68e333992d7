import Foundation

/// Detector noise: Poisson photon noise on signal + sky, then Gaussian read noise, then the
/// sky is subtracted (as survey pipelines do).
///
/// Poisson draws are exact (Knuth's product of uniforms) below λ = 20 and the normal
/// approximation N(λ, λ) rounded to whole counts above, where its skewness 1/√λ is below
/// 0.23 and the difference is invisible under the read noise.
public enum CameraNoise {
    /// Below this mean, Poisson counts are drawn exactly.
    static let exactPoissonLimit: Float = 20

    /// Replaces each noiseless count `s` by `Poisson(s + sky) − sky + N(0, readNoise²)`.
    public static func apply(to counts: UnsafeMutableBufferPointer<Float>, sky: Float, readNoise: Float,
                             rng: inout RandomGenerator) {
        for i in counts.indices {
            let lambda = max(0, counts[i] + sky)
            let (z1, z2) = normalPair(&rng)
            var k: Float
            if lambda < exactPoissonLimit {
                k = poissonSmall(lambda, &rng)
            } else {
                k = max(0, (lambda + lambda.squareRoot() * z1).rounded())
            }
            k += readNoise * z2
            counts[i] = k - sky
        }
    }

    /// Poisson(λ) for small λ by multiplying uniforms until the product drops below e^−λ.
    @inline(__always)
    static func poissonSmall(_ lambda: Float, _ rng: inout RandomGenerator) -> Float {
        let limit = Foundation.exp(-Double(lambda))
        var product = rng.uniformDouble()
        var k: Float = 0
        while product > limit {
            k += 1
            product *= rng.uniformDouble()
        }
        return k
    }

    /// Two independent standard normals by Marsaglia's polar method (no trigonometry).
    @inline(__always)
    static func normalPair(_ rng: inout RandomGenerator) -> (Float, Float) {
        while true {
            let u = 2 * rng.uniform() - 1, v = 2 * rng.uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let f = (-2 * Foundation.log(s) / s).squareRoot()
                return (u * f, v * f)
            }
        }
    }
}
