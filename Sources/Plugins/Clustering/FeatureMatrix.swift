import Foundation
import Framework

/// Rows of equal-length Float feature vectors stored flat, row-major: the input of every
/// clusterer here (patch features, galaxy histograms, pooled representations).
public struct FeatureMatrix: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    /// `rows * cols` values, row after row.
    public var values: [Float]

    public init(rows: Int, cols: Int, values: [Float]) {
        precondition(values.count == rows * cols, "FeatureMatrix: \(values.count) values for \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    /// Rows given as arrays; throws naming the first ragged or non-finite row.
    public init(_ rowArrays: [[Float]], what: String = "features") throws {
        let d = rowArrays.first?.count ?? 0
        var flat = [Float]()
        flat.reserveCapacity(rowArrays.count * d)
        for (i, r) in rowArrays.enumerated() {
            guard r.count == d else {
                throw TensorError.invalidArgument(op: what, message: "row \(i) has \(r.count) values, expected \(d)")
            }
            if let j = r.firstIndex(where: { !$0.isFinite }) {
                throw TensorError.invalidArgument(op: what, message: "non-finite value \(r[j]) at row \(i), column \(j)")
            }
            flat += r
        }
        self.init(rows: rowArrays.count, cols: d, values: flat)
    }

    public func row(_ i: Int) -> ArraySlice<Float> { values[(i * cols)..<((i + 1) * cols)] }

    public var rowArrays: [[Float]] { (0..<rows).map { Array(row($0)) } }

    /// The rows at `indices`, in that order.
    public func selecting(_ indices: [Int]) -> FeatureMatrix {
        var out = [Float]()
        out.reserveCapacity(indices.count * cols)
        for i in indices { out += row(i) }
        return FeatureMatrix(rows: indices.count, cols: cols, values: out)
    }

    /// Squared Euclidean distances from every row to every row of `centres`, [rows × centres.rows],
    /// as ‖x‖² + ‖c‖² − 2 x·c with the product on BLAS (clamped at 0 against rounding).
    public func squaredDistances(to centres: FeatureMatrix) throws -> [Float] {
        guard centres.cols == cols else {
            throw TensorError.invalidArgument(op: "squared distances", message: "\(cols) features against centres of \(centres.cols)")
        }
        let k = centres.rows
        var d = try LinearAlgebra.multiply(values, centres.values, m: rows, k: cols, n: k, transposeB: true)
        let xn = rowSquaredNorms(), cn = centres.rowSquaredNorms()
        for i in 0..<rows {
            for j in 0..<k { d[i * k + j] = max(0, xn[i] + cn[j] - 2 * d[i * k + j]) }
        }
        return d
    }

    public func rowSquaredNorms() -> [Float] {
        (0..<rows).map { i in
            var s: Float = 0
            for v in row(i) { s += v * v }
            return s
        }
    }
}
