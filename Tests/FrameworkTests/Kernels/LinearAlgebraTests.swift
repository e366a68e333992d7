import Foundation
import Testing
@testable import Framework

/// Reference values from NumPy/SciPy/scikit-learn, written by scripts/linalg_fixtures.py.
private struct LinearAlgebraReference: Decodable {
    struct CholeskyCase: Decodable { let a, lower, b, x: [Double] }
    struct EigenCase: Decodable { let a, values, vectors: [Double] }
    struct SVDCase: Decodable { let rows, cols: Int; let a, u, s, vt: [Double] }
    struct PCACase: Decodable {
        let rows, components, transformed: [[Double]]
        let explainedVariance, explainedVarianceRatio: [Double]
    }
    struct SqrtCase: Decodable { let a, root, singular, singularRoot: [Double] }
    struct GPCase: Decodable {
        let points, test: [[Double]]
        let values, mean, variance: [Double]
        let lengthScale, signalVariance, noiseVariance: Double
    }
    let cholesky: CholeskyCase
    let eigen: EigenCase
    let svdTall, svdWide: SVDCase
    let pca: PCACase
    let sqrt: SqrtCase
    let gaussianProcess: GPCase

    static func load() throws -> LinearAlgebraReference {
        try JSONDecoder().decode(Self.self, from: Data(Fixtures.bytes("linalg/reference.json")))
    }
}

private func close<T: BinaryFloatingPoint>(_ a: [T], _ b: [T], _ tolerance: T) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
}

private func dot(_ a: ArraySlice<Double>, _ b: ArraySlice<Double>) -> Double {
    zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
}

private func message(_ body: () throws -> Void) -> String {
    do { try body(); return "" } catch { return "\(error)" }
}

@Suite("Linear algebra through LAPACK")
struct LinearAlgebraTests {
    // MARK: Hand-computed

    @Test func choleskyOfATwoByTwo() throws {
        // [[4, 2], [2, 5]] = [[2, 0], [1, 2]]·[[2, 1], [0, 2]].
        let c = try LinearAlgebra.cholesky([4, 2, 2, 5] as [Double], n: 2)
        #expect(c.lower == [2, 0, 1, 2])
        // L z = (2, 5) → z = (1, 2); Lᵀ x = z → x = (0, 1); and A (0, 1) = (2, 5).
        #expect(try c.solveLower([2, 5]) == [1, 2])
        #expect(try c.solveUpper([1, 2]) == [0, 1])
        #expect(try c.solve([2, 5]) == [0, 1])
        let f = try LinearAlgebra.cholesky([4, 2, 2, 5] as [Float], n: 2)
        #expect(f.lower == [2, 0, 1, 2])
    }

    @Test func choleskyReproducesTheMatrix() throws {
        let a: [Double] = [4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]
        let l = try LinearAlgebra.cholesky(a, n: 3).lower
        let product = try LinearAlgebra.multiply(l, l, m: 3, k: 3, n: 3, transposeB: true)
        #expect(close(product, a, 1e-12))
    }

    @Test func eigenOfATwoByTwo() throws {
        // [[2, 1], [1, 2]]: 1 along (1, −1)/√2, 3 along (1, 1)/√2.
        let e = try LinearAlgebra.symmetricEigen([2, 1, 1, 2] as [Double], n: 2)
        #expect(close(e.values, [1, 3], 1e-12))
        let h = 0.5.squareRoot()
        #expect(abs(abs(dot(e.vectors[0..<2], [h, -h])) - 1) < 1e-12)
        #expect(abs(abs(dot(e.vectors[2..<4], [h, h])) - 1) < 1e-12)
        let f = try LinearAlgebra.symmetricEigen([2, 1, 1, 2] as [Float], n: 2)
        #expect(close(f.values, [1, 3], 1e-5))
    }

    @Test func svdOfADiagonal() throws {
        // [[0, −2, 0], [3, 0, 0]]: singular values 3 and 2, right vectors ±e₀ and ±e₁.
        let f = try LinearAlgebra.svd([0, -2, 0, 3, 0, 0] as [Double], rows: 2, cols: 3)
        #expect(close(f.s, [3, 2], 1e-12))
        #expect(abs(abs(f.vt[0]) - 1) < 1e-12 && abs(abs(f.vt[4]) - 1) < 1e-12)
        #expect(f.u.count == 4 && f.vt.count == 6)
    }

    @Test func squareRootOfADiagonalAndARankOneMatrix() throws {
        #expect(close(try LinearAlgebra.symmetricSquareRoot([9, 0, 0, 4] as [Double], n: 2), [3, 0, 0, 2], 1e-12))
        // vvᵀ with ‖v‖ = 1 is its own square root.
        let v = [0.6, 0.8]
        let p = [v[0] * v[0], v[0] * v[1], v[1] * v[0], v[1] * v[1]]
        #expect(close(try LinearAlgebra.symmetricSquareRoot(p, n: 2), p, 1e-7))
    }

    @Test func covarianceMatchesTheDefinition() throws {
        // Rows (0, 0), (2, 2), (4, −2): means (2, 0); centred (−2, 0), (0, 2), (2, −2), so
        // var 8/2 and 8/2, cov −4/2.
        let (mean, c) = try LinearAlgebra.covariance([[0, 0], [2, 2], [4, -2]] as [[Double]])
        #expect(mean == [2, 0])
        #expect(close(c, [4, -2, -2, 4], 1e-12))
    }

    // MARK: Against NumPy / SciPy / scikit-learn

    @Test func choleskyMatchesNumPy() throws {
        let r = try LinearAlgebraReference.load().cholesky
        let c = try LinearAlgebra.cholesky(r.a, n: 5)
        #expect(close(c.lower, r.lower, 1e-12))
        #expect(close(try c.solve(r.b), r.x, 1e-12))
    }

    @Test func eigenMatchesNumPyUpToSign() throws {
        let r = try LinearAlgebraReference.load().eigen
        let e = try LinearAlgebra.symmetricEigen(r.a, n: 6)
        #expect(close(e.values, r.values, 1e-12))
        for k in 0..<6 {
            let rows = (k * 6)..<(k * 6 + 6)
            #expect(abs(abs(dot(e.vectors[rows], r.vectors[rows])) - 1) < 1e-10, "eigenvector \(k)")
        }
    }

    @Test(arguments: ["tall", "wide"])
    func svdMatchesNumPyUpToSign(shape: String) throws {
        let all = try LinearAlgebraReference.load()
        let r = shape == "tall" ? all.svdTall : all.svdWide
        let f = try LinearAlgebra.svd(r.a, rows: r.rows, cols: r.cols)
        let k = min(r.rows, r.cols)
        #expect(close(f.s, r.s, 1e-12))
        for c in 0..<k {
            // A pair (uₖ, vₖ) may flip sign together.
            let row = (c * r.cols)..<(c * r.cols + r.cols)
            let sign = dot(f.vt[row], r.vt[row]) < 0 ? -1.0 : 1.0
            #expect(close(f.vt[row].map { $0 * sign }, Array(r.vt[row]), 1e-10))
            let column = (0..<r.rows).map { f.u[$0 * k + c] * sign }
            #expect(close(column, (0..<r.rows).map { r.u[$0 * k + c] }, 1e-10))
        }
    }

    @Test func pcaMatchesScikitLearnUpToSign() throws {
        let r = try LinearAlgebraReference.load().pca
        let p = try LinearAlgebra.pca(r.rows, components: 3)
        #expect(close(p.explainedVariance, r.explainedVariance, 1e-10))
        #expect(close(p.explainedVarianceRatio, r.explainedVarianceRatio, 1e-12))
        let projected = try p.transform(Array(r.rows.prefix(4)))
        for c in 0..<3 {
            let sign = dot(p.components[c][...], r.components[c][...]) < 0 ? -1.0 : 1.0
            #expect(close(p.components[c].map { $0 * sign }, r.components[c], 1e-10))
            #expect(close(projected.map { $0[c] * sign }, r.transformed.map { $0[c] }, 1e-10))
        }
    }

    @Test func squareRootMatchesSciPy() throws {
        let r = try LinearAlgebraReference.load().sqrt
        #expect(close(try LinearAlgebra.symmetricSquareRoot(r.a, n: 4), r.root, 1e-9))
        // Rank 2 of 5: SciPy's Schur method and the clipped eigenvalues agree.
        #expect(close(try LinearAlgebra.symmetricSquareRoot(r.singular, n: 5), r.singularRoot, 1e-6))
    }

    @Test func gaussianProcessMatchesSciPyCholesky() throws {
        let r = try LinearAlgebraReference.load().gaussianProcess
        let gp = try GaussianProcess(points: r.points, values: r.values, lengthScale: r.lengthScale,
                                     signalVariance: r.signalVariance, noiseVariance: r.noiseVariance)
        for (i, x) in r.test.enumerated() {
            let (mean, variance) = gp.predict(x)
            #expect(abs(mean - r.mean[i]) < 1e-9)
            #expect(abs(variance - r.variance[i]) < 1e-9)
        }
        #expect(gp.predict([.nan, 0]).mean.isNaN)
    }

    // MARK: Errors name the op

    @Test func errorsNameTheOpAndNeverCrash() {
        #expect(message { _ = try LinearAlgebra.cholesky([1, 2, 2, 1] as [Double], n: 2) }
            == "cholesky: matrix is not positive definite (leading minor of order 2)")
        #expect(message { _ = try LinearAlgebra.cholesky([1, .nan, .nan, 1] as [Double], n: 2) }
            == "cholesky: non-finite value nan at element 1 of the 2×2 matrix")
        #expect(message { _ = try LinearAlgebra.cholesky([1, 0, 0] as [Double], n: 2) }
            == "cholesky: 2×2 matrix needs 4 elements, got 3")
        #expect(message { _ = try LinearAlgebra.symmetricEigen([1, 2, 0, 1] as [Double], n: 2) }
            == "symmetricEigen: matrix is not symmetric: (1, 0) is 0.0 but (0, 1) is 2.0")
        #expect(message { _ = try LinearAlgebra.symmetricEigen([] as [Double], n: 0) }
            == "symmetricEigen: matrix must be at least 1×1, got 0×0")
        #expect(message { _ = try LinearAlgebra.svd([1, .infinity] as [Float], rows: 1, cols: 2) }
            == "svd: non-finite value inf at element 1 of the 1×2 matrix")
        #expect(message { _ = try LinearAlgebra.pca([[1, 2], [3]] as [[Double]], components: 1) }
            == "pca: row 1 has 1 features, expected 2")
        #expect(message { _ = try LinearAlgebra.pca([[1, 2]] as [[Double]], components: 1) }
            == "pca: needs at least 2 rows, got 1")
        #expect(message { _ = try LinearAlgebra.symmetricSquareRoot([1, 0, 0, -1] as [Double], n: 2) }
            == "symmetricSquareRoot: matrix is not positive semi-definite (eigenvalue -1.0)")
        let c = try? LinearAlgebra.cholesky([4, 2, 2, 5] as [Double], n: 2)
        #expect(message { _ = try c?.solve([1]) } == "cholesky solve: right-hand side needs 2 elements, got 1")
    }
}
