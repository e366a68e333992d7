import Foundation

/// Interest search (Walmsley et al. 2022): a Gaussian process on the pool's embeddings,
/// fitted to the user's ratings, scores each unrated galaxy by its expected improvement over
/// the best rating so far, EI = (μ − f* − ξ) Φ(z) + σ φ(z), z = (μ − f* − ξ) / σ. A larger ξ
/// explores more. Rated galaxies score −∞ so they are never picked again.
public struct ExpectedImprovementAcquisition: Acquisition {
    public var xi: Double
    /// RBF length scale; nil for the median pairwise distance of the pool.
    public var lengthScale: Double?
    public var signalVariance: Double
    public var noiseVariance: Double

    public init(xi: Double = 0.5, lengthScale: Double? = nil, signalVariance: Double = 1, noiseVariance: Double = 0.01) {
        self.xi = xi
        self.lengthScale = lengthScale
        self.signalVariance = signalVariance
        self.noiseVariance = noiseVariance
    }

    /// The process fitted to the ratings, with the length scale it used.
    public func fit(_ input: AcquisitionInput) throws -> (gp: GaussianProcess, points: [[Double]]) {
        let raw = try CoreSetAcquisition.embeddings(input)
        let points = raw.map { $0.map(Double.init) }
        guard !input.ratings.isEmpty else {
            throw TensorError.invalidArgument(op: "gp-ei", message: "needs at least one rating to fit the Gaussian process")
        }
        for r in input.ratings where !points.indices.contains(r.index) || !r.value.isFinite {
            throw TensorError.invalidArgument(op: "gp-ei", message: "rating of pool index \(r.index) = \(r.value) is out of range or not finite")
        }
        let ell = lengthScale ?? GaussianProcess.medianDistance(points)
        let gp = try GaussianProcess(points: input.ratings.map { points[$0.index] }, values: input.ratings.map(\.value),
                                     lengthScale: ell, signalVariance: signalVariance, noiseVariance: noiseVariance)
        return (gp, points)
    }

    public func scores(_ input: AcquisitionInput) throws -> [Double] {
        let (gp, points) = try fit(input)
        let best = input.ratings.map(\.value).max()!
        let rated = Set(input.ratings.map(\.index))
        var out = [Double](repeating: 0, count: points.count)
        let xi = xi
        out.withUnsafeMutableBufferPointer { o in
            let o = o
            Parallel.chunks(points.count, minChunk: 16) { start, end in
                for i in start..<end {
                    if rated.contains(i) { o[i] = -.infinity; continue }
                    let (mu, variance) = gp.predict(points[i])
                    o[i] = Self.expectedImprovement(mean: mu, sigma: variance.squareRoot(), best: best, xi: xi)
                }
            }
        }
        return out
    }

    /// EI for maximisation; max(0, μ − f* − ξ) when σ = 0.
    public static func expectedImprovement(mean: Double, sigma: Double, best: Double, xi: Double) -> Double {
        let improvement = mean - best - xi
        guard sigma > 1e-12 else { return max(0, improvement) }
        let z = improvement / sigma
        let cdf = 0.5 * erfc(-z / 2.0.squareRoot())
        let pdf = exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
        return improvement * cdf + sigma * pdf
    }
}

/// The registry entry for `acquisition: {kind: gp-ei}`.
public enum ExpectedImprovementComponent: AcquisitionComponent {
    public static let kind = "gp-ei"
    public static let summary = "Gaussian process (RBF + noise) on embeddings fitted to ratings; expected improvement with ξ (interest search)"

    public struct Options: ComponentOptions {
        /// Exploration margin ξ of expected improvement (Walmsley et al. 2022: 0.5).
        public var xi = 0.5
        /// RBF length scale; unset for the median pairwise distance of the pool.
        public var lengthScale: Double?
        /// Prior variance of the latent interest.
        public var signalVariance = 1.0
        /// Variance of the observation noise on ratings.
        public var noise = 0.01

        public init() {}

        enum CodingKeys: String, CodingKey {
            case xi, noise
            case lengthScale = "length_scale", signalVariance = "signal_variance"
        }

        public func validate() throws {
            guard xi.isFinite, xi >= 0 else { throw ConfigError(file: "acquisition", message: "xi must be ≥ 0") }
            if let l = lengthScale, !(l > 0 && l.isFinite) { throw ConfigError(file: "acquisition", message: "length_scale must be > 0") }
            guard signalVariance > 0, signalVariance.isFinite else { throw ConfigError(file: "acquisition", message: "signal_variance must be > 0") }
            guard noise >= 0, noise.isFinite else { throw ConfigError(file: "acquisition", message: "noise must be ≥ 0") }
        }
    }

    public static func make(options: Options, context: ComponentContext) throws -> any Acquisition {
        ExpectedImprovementAcquisition(options)
    }
}

extension ExpectedImprovementAcquisition {
    public init(_ o: ExpectedImprovementComponent.Options) {
        self.init(xi: o.xi, lengthScale: o.lengthScale, signalVariance: o.signalVariance, noiseVariance: o.noise)
    }
}
