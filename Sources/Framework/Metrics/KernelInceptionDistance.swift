import Foundation

/// Kernel inception distance on any feature extractor: the unbiased squared maximum mean
/// discrepancy under the polynomial kernel k(x, y) = (xᵀy / d + 1)³, averaged over random
/// subsets as torchmetrics and clean-fid do (defaults 100 subsets of 1000).
public enum KernelInceptionDistance {
    /// The unbiased MMD² between two whole feature sets of m ≥ 2 and n ≥ 2 rows:
    /// mean off-diagonal k(xᵢ, xⱼ) + mean off-diagonal k(yᵢ, yⱼ) − 2 mean k(xᵢ, yⱼ).
    public static func mmd2(_ x: [[Float]], _ y: [[Float]]) throws -> Double {
        guard x.count >= 2, y.count >= 2 else {
            throw TensorError.invalidArgument(op: "kernel inception distance", message: "needs at least 2 rows in each set, got \(x.count) and \(y.count)")
        }
        let a = try LinearAlgebra.flatten(x.map { $0.map(Double.init) }, op: "kernel inception distance")
        let d = a.count / x.count
        let b = try LinearAlgebra.flatten(y.map { $0.map(Double.init) }, op: "kernel inception distance", cols: d)
        let m = Double(x.count), n = Double(y.count)
        let xx = try kernelSum(a, a, d: d), yy = try kernelSum(b, b, d: d), xy = try kernelSum(a, b, d: d)
        return (xx.total - xx.diagonal) / (m * (m - 1)) + (yy.total - yy.diagonal) / (n * (n - 1)) - 2 * xy.total / (m * n)
    }

    /// Mean and standard deviation (denominator s − 1) of `mmd2` over `subsets` draws of
    /// min(`subsetSize`, m, n) rows from each set without replacement.
    public static func estimate(_ x: [[Float]], _ y: [[Float]], subsets: Int = 100, subsetSize: Int = 1000,
                                seed: UInt64 = 0) throws -> (mean: Double, std: Double) {
        guard subsets >= 1, subsetSize >= 2 else {
            throw TensorError.invalidArgument(op: "kernel inception distance", message: "\(subsets) subsets of \(subsetSize) rows (need ≥ 1 of ≥ 2)")
        }
        let size = min(subsetSize, x.count, y.count)
        var rng = RandomGenerator(seed: seed)
        var values: [Double] = []
        for _ in 0..<subsets {
            let xs = Array(x.indices.shuffled(using: &rng).prefix(size)).map { x[$0] }
            let ys = Array(y.indices.shuffled(using: &rng).prefix(size)).map { y[$0] }
            values.append(try mmd2(xs, ys))
        }
        let mean = values.reduce(0, +) / Double(subsets)
        let variance = subsets < 2 ? 0 : values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(subsets - 1)
        return (mean, variance.squareRoot())
    }

    /// Σᵢⱼ k(aᵢ, bⱼ) and Σᵢ k(aᵢ, bᵢ), the Gram matrix from one GEMM.
    private static func kernelSum(_ a: [Double], _ b: [Double], d: Int) throws -> (total: Double, diagonal: Double) {
        let m = a.count / d, n = b.count / d
        let gram = try LinearAlgebra.multiply(a, b, m: m, k: d, n: n, transposeB: true)
        var total = 0.0, diagonal = 0.0
        for i in 0..<m {
            for j in 0..<n {
                let t = gram[i * n + j] / Double(d) + 1
                let k = t * t * t
                total += k
                if i == j { diagonal += k }
            }
        }
        return (total, diagonal)
    }
}
