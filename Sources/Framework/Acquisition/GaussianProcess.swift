import Foundation

/// Gaussian-process regression with an RBF kernel σ²·exp(−‖x − x′‖² / 2ℓ²) plus observation
/// noise, a constant prior mean (the mean of the training values), in Double with a
/// Cholesky solve.
public struct GaussianProcess {
    public let points: [[Double]]
    public let lengthScale: Double
    public let signalVariance: Double
    public let noiseVariance: Double
    public let priorMean: Double
    /// Lower Cholesky factor of K + noise·I, row-major n×n.
    let cholesky: [Double]
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
        cholesky = try Self.choleskyFactor(k, n: n)
        let centred = values.map { $0 - mean }
        weights = Self.backSubstitute(cholesky, n: n, Self.forwardSubstitute(cholesky, n: n, centred))
    }

    /// Posterior mean and variance of the latent function at `x` (without observation noise).
    public func predict(_ x: [Double]) -> (mean: Double, variance: Double) {
        let n = points.count
        let ks = points.map { Self.kernel(x, $0, lengthScale: lengthScale, variance: signalVariance) }
        var mean = priorMean
        for i in 0..<n { mean += ks[i] * weights[i] }
        let v = Self.forwardSubstitute(cholesky, n: n, ks)
        let variance = signalVariance - v.reduce(0) { $0 + $1 * $1 }
        return (mean, max(0, variance))
    }

    public static func kernel(_ a: [Double], _ b: [Double], lengthScale: Double, variance: Double) -> Double {
        var s = 0.0
        for i in a.indices { let d = a[i] - b[i]; s += d * d }
        return variance * exp(-s / (2 * lengthScale * lengthScale))
    }

    /// L with L Lᵀ = A for a symmetric positive-definite n×n A; throws when A is not.
    static func choleskyFactor(_ a: [Double], n: Int) throws -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for p in 0..<j { s -= l[i * n + p] * l[j * n + p] }
                if i == j {
                    guard s > 0, s.isFinite else {
                        throw TensorError.invalidArgument(op: "gaussian process", message: "kernel matrix not positive definite at row \(i); raise the noise")
                    }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        return l
    }

    /// Solves L z = b.
    static func forwardSubstitute(_ l: [Double], n: Int, _ b: [Double]) -> [Double] {
        var z = b
        for i in 0..<n {
            var s = z[i]
            for p in 0..<i { s -= l[i * n + p] * z[p] }
            z[i] = s / l[i * n + i]
        }
        return z
    }

    /// Solves Lᵀ x = z.
    static func backSubstitute(_ l: [Double], n: Int, _ z: [Double]) -> [Double] {
        var x = z
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = x[i]
            for p in (i + 1)..<n { s -= l[p * n + i] * x[p] }
            x[i] = s / l[i * n + i]
        }
        return x
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
