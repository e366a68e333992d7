/// The Fréchet distance between Gaussian fits of two feature sets — FID when the features
/// come from Inception, but any feature extractor will do:
/// ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½).
public enum FrechetDistance {
    /// The mean and covariance (denominator n − 1) of a feature set.
    public struct Gaussian: Sendable {
        public let mean: [Double]
        /// d×d, row-major.
        public let covariance: [Double]

        /// Fits n ≥ 2 rows of d features.
        public init(features: [[Float]]) throws {
            guard features.count >= 2 else {
                throw TensorError.invalidArgument(op: "frechet distance", message: "a Gaussian fit needs at least 2 feature rows, got \(features.count)")
            }
            let rows = features.map { $0.map(Double.init) }
            _ = try LinearAlgebra.flatten(rows, op: "frechet distance")  // names this op on ragged or NaN rows
            (mean, covariance) = try LinearAlgebra.covariance(rows)
        }

        public init(mean: [Double], covariance: [Double]) throws {
            try LinearAlgebra.check(covariance, count: mean.count * mean.count, op: "frechet distance",
                                    what: "covariance of \(mean.count) features")
            try LinearAlgebra.check(mean, count: mean.count, op: "frechet distance", what: "mean")
            self.mean = mean
            self.covariance = covariance
        }
    }

    /// The distance between the Gaussian fits of two feature sets.
    public static func distance(_ a: [[Float]], _ b: [[Float]]) throws -> Double {
        try distance(Gaussian(features: a), Gaussian(features: b))
    }

    /// The distance between two Gaussians.
    ///
    /// Σ₁Σ₂ is not symmetric, and a general square root of it (SciPy's `sqrtm`) can pick up
    /// imaginary parts from rounding. Its trace equals Tr((√Σ₁ Σ₂ √Σ₁)^½), a symmetric positive
    /// semi-definite matrix, whose root's trace is the sum of the square roots of its
    /// eigenvalues — all from the symmetric eigendecomposition.
    public static func distance(_ a: Gaussian, _ b: Gaussian) throws -> Double {
        let d = a.mean.count
        guard b.mean.count == d, d > 0 else {
            throw TensorError.invalidArgument(op: "frechet distance", message: "features of \(d) and \(b.mean.count) dimensions")
        }
        let root = try LinearAlgebra.symmetricSquareRoot(a.covariance, n: d)
        let inner = try LinearAlgebra.multiply(root, LinearAlgebra.multiply(b.covariance, root, m: d, k: d, n: d),
                                               m: d, k: d, n: d)
        var symmetric = inner
        for i in 0..<d { for j in 0..<i {
            let v = (inner[i * d + j] + inner[j * d + i]) / 2
            symmetric[i * d + j] = v
            symmetric[j * d + i] = v
        } }
        let traceRoot = try LinearAlgebra.symmetricEigen(symmetric, n: d).values.reduce(0) { $0 + max($1, 0).squareRoot() }
        var distance = 0.0
        for i in 0..<d {
            let delta = a.mean[i] - b.mean[i]
            distance += delta * delta + a.covariance[i * d + i] + b.covariance[i * d + i]
        }
        return distance - 2 * traceRoot
    }
}
