import Foundation

/// Detector noise: Poisson photon noise on signal + sky, then Gaussian read noise, then the
/// sky is subtracted (as survey pipelines do).
///
/// Poisson counts are drawn exactly (Knuth's product of uniforms) below λ = 20. Above, photon
/// and read noise together are one normal draw N(λ, λ + read²): the normal approximation's
/// skewness 1/√λ is below 0.23 there and invisible under the read noise, and one draw per
/// pixel instead of two is what keeps the simulator at thousands of galaxies a second.
public enum CameraNoise {
    /// Below this mean, Poisson counts are drawn exactly.
    static let exactPoissonLimit: Float = 20

    /// Replaces each noiseless count `s` by `Poisson(s + sky) − sky + N(0, readNoise²)`.
    public static func apply(to counts: UnsafeMutableBufferPointer<Float>, sky: Float, readNoise: Float,
                             rng: inout RandomGenerator) {
        let read2 = readNoise * readNoise
        var spare: Float = 0, hasSpare = false
        @inline(__always)
        func normal() -> Float {
            if hasSpare {
                hasSpare = false
                return spare
            }
            let (a, b) = normalPair(&rng)
            spare = b
            hasSpare = true
            return a
        }
        for i in counts.indices {
            let lambda = max(0, counts[i] + sky)
            let value: Float
            if lambda < exactPoissonLimit {
                value = poissonSmall(lambda, &rng) + (readNoise > 0 ? readNoise * normal() : 0)
            } else {
                value = lambda + (lambda + read2).squareRoot() * normal()
            }
            counts[i] = value - sky
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
