import Foundation
import Framework

/// A Gaussian mixture fitted by expectation–maximisation, with full or diagonal covariances,
/// started from a k-means partition (scikit-learn's `GaussianMixture` defaults: `reg_covar`
/// 1e-6 added to every variance, stop when the mean log-likelihood gains less than
/// `tolerance`, at most `maxIterations`). Computed in Double.
public struct GaussianMixture: Sendable {
    public enum Covariance: String, Codable, Sendable, CaseIterable { case full, diagonal }

    public let covariance: Covariance
    public let dimensions: Int
    public var weights: [Double]
    /// k × d means.
    public var means: [[Double]]
    /// Per component: the lower Cholesky factor (d×d row-major) of its covariance, or for
    /// diagonal covariance the d standard deviations.
    public var factors: [[Double]]
    /// Mean log-likelihood per point of the fitted data.
    public var meanLogLikelihood: Double
    public var iterations: Int
    public var converged: Bool

    public var k: Int { weights.count }

    public struct Options: Codable, Sendable, Equatable {
        public var k = 8
        public var covariance: Covariance = .full
        public var maxIterations = 100
        public var tolerance = 1e-3
        public var regularisation = 1e-6

        public init(k: Int = 8, covariance: Covariance = .full, maxIterations: Int = 100, tolerance: Double = 1e-3,
                    regularisation: Double = 1e-6) {
            self.k = k
            self.covariance = covariance
            self.maxIterations = maxIterations
            self.tolerance = tolerance
            self.regularisation = regularisation
        }

        enum CodingKeys: String, CodingKey {
            case k, covariance, maxIterations = "max_iterations", tolerance, regularisation
        }
    }

    /// Free parameters: k − 1 weights, k·d means and the covariances.
    public var parameterCount: Int {
        let d = dimensions
        return (k - 1) + k * d + k * (covariance == .full ? d * (d + 1) / 2 : d)
    }

    /// Bayesian information criterion on `n` points: −2 n·(mean log-likelihood) + p ln n.
    public func bic(points n: Int) -> Double {
        -2 * meanLogLikelihood * Double(n) + Double(parameterCount) * log(Double(n))
    }

    /// Fits the mixture, starting from the partition of a k-means fit with the same seed.
    public static func fit(_ x: FeatureMatrix, options: Options, seed: UInt64) throws -> GaussianMixture {
        let n = x.rows, d = x.cols, k = options.k
        guard n >= k, k >= 1 else { throw TensorError.invalidArgument(op: "gaussian mixture", message: "\(n) points for k = \(k)") }
        let start = try KMeans.fit(x, options: KMeans.Options(k: k, restarts: 1), seed: seed).assign(x)
        var resp = [Double](repeating: 0, count: n * k)
        for i in 0..<n { resp[i * k + start[i].cluster] = 1 }
        let points = (0..<n).map { i in x.row(i).map(Double.init) }
        var model = GaussianMixture(covariance: options.covariance, dimensions: d, weights: [], means: [], factors: [],
                                    meanLogLikelihood: -.infinity, iterations: 0, converged: false)
        try model.maximise(points, resp: resp, components: k, regularisation: options.regularisation)
        var previous = -Double.infinity
        for it in 1...options.maxIterations {
            let (r, ll) = try model.expect(points)
            resp = r
            model.iterations = it
            model.meanLogLikelihood = ll
            try model.maximise(points, resp: resp, components: k, regularisation: options.regularisation)
            if abs(ll - previous) < options.tolerance { model.converged = true; break }
            previous = ll
        }
        // The reported likelihood is that of the final parameters.
        model.meanLogLikelihood = try model.expect(points).meanLogLikelihood
        return model
    }

    /// log N(x | component c) for every component.
    func componentLogDensities(_ x: [Double]) -> [Double] {
        let d = dimensions
        let logTwoPi = log(2 * Double.pi)
        return (0..<k).map { c in
            let f = factors[c], m = means[c]
            var maha = 0.0, logDet = 0.0
            switch covariance {
            case .diagonal:
                for j in 0..<d { let z = (x[j] - m[j]) / f[j]; maha += z * z; logDet += 2 * log(f[j]) }
            case .full:
                // Solve L z = x − μ by forward substitution.
                var z = [Double](repeating: 0, count: d)
                for i in 0..<d {
                    var s = x[i] - m[i]
                    for j in 0..<i { s -= f[i * d + j] * z[j] }
                    z[i] = s / f[i * d + i]
                    maha += z[i] * z[i]
                    logDet += 2 * log(f[i * d + i])
                }
            }
            return -0.5 * (Double(d) * logTwoPi + logDet + maha)
        }
    }

    /// Posterior probabilities of the components for every point, and the mean log-likelihood.
    func expect(_ points: [[Double]]) throws -> (resp: [Double], meanLogLikelihood: Double) {
        var resp = [Double](repeating: 0, count: points.count * k)
        var total = 0.0
        let logW = weights.map { log($0) }
        for (i, x) in points.enumerated() {
            let lp = zip(componentLogDensities(x), logW).map { $0 + $1 }
            let top = lp.max()!
            let lse = top + log(lp.reduce(0) { $0 + exp($1 - top) })
            for c in 0..<k { resp[i * k + c] = exp(lp[c] - lse) }
            total += lse
        }
        return (resp, total / Double(points.count))
    }

    /// New weights, means and covariances from the responsibilities.
    mutating func maximise(_ points: [[Double]], resp: [Double], components k: Int, regularisation: Double) throws {
        let n = points.count, d = dimensions
        var w = [Double](repeating: 0, count: k)
        var mu = [[Double]](repeating: [Double](repeating: 0, count: d), count: k)
        for i in 0..<n { for c in 0..<k where resp[i * k + c] > 0 {
            let r = resp[i * k + c]
            w[c] += r
            for j in 0..<d { mu[c][j] += r * points[i][j] }
        } }
        // scikit-learn adds 10·eps to each component's mass so none is exactly empty.
        for c in 0..<k { w[c] += 10 * Double.ulpOfOne; for j in 0..<d { mu[c][j] /= w[c] } }
        var fs: [[Double]] = []
        for c in 0..<k {
            switch covariance {
            case .diagonal:
                var v = [Double](repeating: 0, count: d)
                for i in 0..<n where resp[i * k + c] > 0 {
                    for j in 0..<d { let z = points[i][j] - mu[c][j]; v[j] += resp[i * k + c] * z * z }
                }
                fs.append(v.map { ($0 / w[c] + regularisation).squareRoot() })
            case .full:
                var cov = [Double](repeating: 0, count: d * d)
                for i in 0..<n where resp[i * k + c] > 0 {
                    let r = resp[i * k + c]
                    for a in 0..<d {
                        let za = points[i][a] - mu[c][a]
                        for b in 0...a { cov[a * d + b] += r * za * (points[i][b] - mu[c][b]) }
                    }
                }
                for a in 0..<d {
                    for b in 0...a { cov[a * d + b] /= w[c]; cov[b * d + a] = cov[a * d + b] }
                    cov[a * d + a] += regularisation
                }
                do {
                    fs.append(try LinearAlgebra.cholesky(cov, n: d).lower)
                } catch {
                    throw TensorError.invalidArgument(op: "gaussian mixture",
                        message: "component \(c)'s covariance is not positive definite; raise `regularisation` or use diagonal covariance")
                }
            }
        }
        weights = w.map { $0 / Double(n) }
        means = mu
        factors = fs
    }

    /// The most probable component of each row, its Mahalanobis-free distance (Euclidean to
    /// the component mean) and the second most probable component.
    public func assign(_ x: FeatureMatrix) -> [ClusterAssignment] {
        let logW = weights.map { log($0) }
        return (0..<x.rows).map { i in
            let p = x.row(i).map(Double.init)
            let lp = zip(componentLogDensities(p), logW).map { $0 + $1 }
            let order = lp.indices.sorted { lp[$0] > lp[$1] }
            let m = means[order[0]]
            let dist = zip(p, m).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
            return ClusterAssignment(cluster: order[0], distance: Float(dist), secondBest: order.count > 1 ? order[1] : -1)
        }
    }

    /// Posterior component probabilities of each row.
    public func probabilities(_ x: FeatureMatrix) throws -> [[Double]] {
        let r = try expect((0..<x.rows).map { x.row($0).map(Double.init) }).resp
        return (0..<x.rows).map { Array(r[($0 * k)..<($0 * k + k)]) }
    }

    /// Fits every k in `ks` and keeps the lowest BIC; returns the kept mixture and each k's BIC.
    public static func selectingByBIC(_ x: FeatureMatrix, ks: [Int], options: Options, seed: UInt64) throws
        -> (model: GaussianMixture, bic: [(k: Int, bic: Double)]) {
        var best: GaussianMixture?, table: [(k: Int, bic: Double)] = []
        for kk in ks {
            var o = options
            o.k = kk
            let m = try fit(x, options: o, seed: seed)
            let b = m.bic(points: x.rows)
            table.append((kk, b))
            if best == nil || b < best!.bic(points: x.rows) { best = m }
        }
        guard let best else { throw TensorError.invalidArgument(op: "gaussian mixture", message: "no k to choose from") }
        return (best, table)
    }
}
