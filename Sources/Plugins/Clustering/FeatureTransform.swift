import Foundation
import Framework

/// Standardisation (mean 0, standard deviation 1 per feature; constant features become 0)
/// optionally followed by a PCA projection, fitted on a sample of rows: puts patch features
/// or representations on a common scale before a distance-based clusterer.
public struct FeatureTransform: Sendable {
    public var mean: [Float]
    public var scale: [Float]
    /// The PCA of the standardised rows: its centre and components (one unit row each), or nil.
    public var pcaMean: [Float]?
    public var components: FeatureMatrix?
    /// Each kept component's share of the variance (empty without PCA).
    public var explainedVarianceRatio: [Float] = []

    public init(mean: [Float], scale: [Float], pcaMean: [Float]? = nil, components: FeatureMatrix? = nil) {
        self.mean = mean
        self.scale = scale
        self.pcaMean = pcaMean
        self.components = components
    }

    public var outputWidth: Int { components?.rows ?? mean.count }

    /// Fits on `sample`; `components` > 0 adds a PCA to that many dimensions (capped at
    /// the sample's rank limits).
    public static func fit(_ sample: FeatureMatrix, standardise: Bool = true, components: Int = 0) throws -> FeatureTransform {
        guard sample.rows >= 2 else {
            throw TensorError.invalidArgument(op: "feature transform", message: "needs at least 2 rows to fit, got \(sample.rows)")
        }
        let d = sample.cols
        var mean = [Float](repeating: 0, count: d), scale = [Float](repeating: 1, count: d)
        if standardise {
            for j in 0..<d {
                var s = 0.0, s2 = 0.0
                for i in 0..<sample.rows { let v = Double(sample.values[i * d + j]); s += v; s2 += v * v }
                let m = s / Double(sample.rows)
                let sd = max(0, s2 / Double(sample.rows) - m * m).squareRoot()
                mean[j] = Float(m)
                scale[j] = sd > 1e-12 ? Float(1 / sd) : 0
            }
        }
        var t = FeatureTransform(mean: mean, scale: scale)
        if components > 0 {
            let k = min(components, sample.rows, d)
            let pca = try LinearAlgebra.pca(t.standardised(sample).rowArrays, components: k)
            t.pcaMean = pca.mean
            t.components = try FeatureMatrix(pca.components)
            t.explainedVarianceRatio = pca.explainedVarianceRatio
        }
        return t
    }

    func standardised(_ x: FeatureMatrix) -> FeatureMatrix {
        var v = x.values
        let d = x.cols
        for i in 0..<x.rows { for j in 0..<d { v[i * d + j] = (v[i * d + j] - mean[j]) * scale[j] } }
        return FeatureMatrix(rows: x.rows, cols: d, values: v)
    }

    /// The transformed rows.
    public func apply(_ x: FeatureMatrix) throws -> FeatureMatrix {
        guard x.cols == mean.count else {
            throw TensorError.invalidArgument(op: "feature transform", message: "\(x.cols) features, fitted on \(mean.count)")
        }
        guard x.rows > 0 else { return FeatureMatrix(rows: 0, cols: outputWidth, values: []) }
        var s = standardised(x)
        guard let components, let pcaMean else { return s }
        for i in 0..<s.rows { for j in 0..<s.cols { s.values[i * s.cols + j] -= pcaMean[j] } }
        let projected = try LinearAlgebra.multiply(s.values, components.values, m: s.rows, k: s.cols, n: components.rows,
                                                   transposeB: true)
        return FeatureMatrix(rows: s.rows, cols: components.rows, values: projected)
    }
}
