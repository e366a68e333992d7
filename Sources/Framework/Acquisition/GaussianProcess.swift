import Foundation

/// Gaussian-process regression with an RBF kernel σ²·exp(−‖x − x′‖² / 2ℓ²) plus observation
/// noise, a constant prior mean (the mean of the training values), in Double with a
/// Cholesky solve (`LinearAlgebra.cholesky`).
public struct GaussianProcess {
    public let points: [[Double]]
    public let lengthScale: Double
    public let signalVariance: Double
    public let noiseVariance: Double
    public let priorMean: Double
    /// Cholesky factor of K + noise·I.
    let cholesky: LinearAlgebra.Cholesky<Double>
    /// (K + noise·I)⁻¹ (y − prior mean).
    let weights: [Double]

    public init(points: [[Double]], values: [Double], lengthScale: Double, signalVariance: Double, noiseVariance: Double) throws {
        guard points.count == values.count, !points.isEmpty else {
            throw TensorError.invalidArgument(op: "gaussian process", message: "\(points.count) points for \(values.count) values (need ≥ 1)")
        }
        guard lengthScale > 0, signalVariance > 0, noiseVariance >= 0, lengthScale.isFinite, signalVariance.isFinite else {
            throw TensorError.invalidArgument(op: "gaussian process",
                message: "length scale \(lengthScale), signal variance \(signalVariance) must be > 0 and noise \(noiseVariance) ≥ 0")
        }
        self.points = points
        self.lengthScale = lengthScale
        self.signalVariance = signalVariance
        self.noiseVariance = noiseVariance
        let mean = values.reduce(0, +) / Double(values.count)
        priorMean = mean
        let n = points.count
        var k = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                let v = Self.kernel(points[i], points[j], lengthScale: lengthScale, variance: signalVariance)
                k[i * n + j] = v
                k[j * n + i] = v
            }
            // A little jitter keeps duplicate points factorisable when the noise is 0.
            k[i * n + i] += noiseVariance + 1e-10 * signalVariance
        }
        do {
            cholesky = try LinearAlgebra.cholesky(k, n: n)
        } catch {
            throw TensorError.invalidArgument(op: "gaussian process", message: "kernel matrix: \(error); raise the noise")
        }
        weights = try cholesky.solve(values.map { $0 - mean })
    }

    /// Posterior mean and variance of the latent function at `x` (without observation noise);
    /// NaN for both at a point with non-finite coordinates.
    public func predict(_ x: [Double]) -> (mean: Double, variance: Double) {
        let n = points.count
        let ks = points.map { Self.kernel(x, $0, lengthScale: lengthScale, variance: signalVariance) }
        guard let v = try? cholesky.solveLower(ks) else { return (.nan, .nan) }
        var mean = priorMean
        for i in 0..<n { mean += ks[i] * weights[i] }
        let variance = signalVariance - v.reduce(0) { $0 + $1 * $1 }
        return (mean, max(0, variance))
    }

    public static func kernel(_ a: [Double], _ b: [Double], lengthScale: Double, variance: Double) -> Double {
        var s = 0.0
        for i in a.indices { let d = a[i] - b[i]; s += d * d }
        return variance * exp(-s / (2 * lengthScale * lengthScale))
    }

    /// The median of pairwise Euclidean distances (over at most `maxPoints` evenly spaced
    /// points), the usual default length scale.
    public static func medianDistance(_ points: [[Double]], maxPoints: Int = 400) -> Double {
        let step = max(1, points.count / maxPoints)
        let subset = stride(from: 0, to: points.count, by: step).map { points[$0] }
        var d: [Double] = []
        for i in subset.indices {
            for j in 0..<i {
                var s = 0.0
                for k in subset[i].indices { let t = subset[i][k] - subset[j][k]; s += t * t }
                d.append(s.squareRoot())
            }
        }
        guard !d.isEmpty else { return 1 }
        d.sort()
        let m = d[d.count / 2]
        return m > 0 ? m : 1
    }
}
