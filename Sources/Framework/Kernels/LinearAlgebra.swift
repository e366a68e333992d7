import Foundation

/// Dense linear algebra through OpenBLAS's LAPACK: Cholesky with triangular solves, symmetric
/// eigendecomposition, SVD, PCA and the square root of a positive semi-definite matrix.
///
/// Matrices are flat row-major arrays with their sizes beside them, in Float or Double. Every
/// entry point checks shapes and finiteness first and throws `TensorError.invalidArgument`
/// naming its op; LAPACK's own failures (not positive definite, no convergence) are errors too.
public enum LinearAlgebra {
    /// A Cholesky factorisation A = L Lᵀ.
    public struct Cholesky<T: LAPACKScalar>: Sendable {
        public let n: Int
        /// L, row-major n×n, zero above the diagonal.
        public let lower: [T]

        /// Solves L z = b.
        ///
        /// The solves are plain loops, not LAPACK: they are O(n²) per right-hand side, and the
        /// Gaussian process runs them inside the engine's parallel loops, where OpenBLAS's own
        /// threads must not be started.
        public func solveLower(_ b: [T]) throws -> [T] {
            try LinearAlgebra.check(b, count: n, op: "cholesky solve", what: "right-hand side")
            var z = b
            lower.withUnsafeBufferPointer { l in
                for i in 0..<n {
                    var s = z[i]
                    let row = i &* n
                    for p in 0..<i { s -= l[row &+ p] * z[p] }
                    z[i] = s / l[row &+ i]
                }
            }
            return z
        }

        /// Solves Lᵀ x = z.
        public func solveUpper(_ z: [T]) throws -> [T] {
            try LinearAlgebra.check(z, count: n, op: "cholesky solve", what: "right-hand side")
            var x = z
            lower.withUnsafeBufferPointer { l in
                for i in stride(from: n - 1, through: 0, by: -1) {
                    var s = x[i]
                    for p in (i + 1)..<n { s -= l[p &* n &+ i] * x[p] }
                    x[i] = s / l[i &* n &+ i]
                }
            }
            return x
        }

        /// Solves A x = b.
        public func solve(_ b: [T]) throws -> [T] { try solveUpper(solveLower(b)) }
    }

    /// Eigenvalues and eigenvectors of a symmetric matrix.
    public struct SymmetricEigen<T: LAPACKScalar>: Sendable {
        public let n: Int
        /// Ascending, as LAPACK and `numpy.linalg.eigh` return them.
        public let values: [T]
        /// Row-major n×n: row k is the unit eigenvector of `values[k]` (its sign is LAPACK's).
        public let vectors: [T]
    }

    /// A thin singular value decomposition A = U diag(s) Vᵀ with k = min(rows, cols).
    public struct SVD<T: LAPACKScalar>: Sendable {
        public let rows: Int
        public let cols: Int
        /// rows×k, row-major.
        public let u: [T]
        /// k values, descending.
        public let s: [T]
        /// k×cols, row-major.
        public let vt: [T]
    }

    /// Principal components of a set of rows, as scikit-learn's `PCA` (SVD of the centred
    /// data; each component's largest-magnitude entry made positive, as its `svd_flip`).
    public struct PCA<T: LAPACKScalar>: Sendable {
        public let mean: [T]
        /// One unit row per component, by descending variance.
        public let components: [[T]]
        /// Variance along each component (denominator n − 1).
        public let explainedVariance: [T]
        /// Each component's share of the total variance.
        public let explainedVarianceRatio: [T]

        /// Coordinates of `rows` on the components.
        public func transform(_ rows: [[T]]) throws -> [[T]] {
            let d = mean.count
            let k = components.count
            let x = try LinearAlgebra.flatten(rows, op: "pca transform", cols: d)
            var centred = x
            for i in 0..<rows.count { for j in 0..<d { centred[i * d + j] -= mean[j] } }
            let projected = try LinearAlgebra.multiply(centred, Array(components.joined()), m: rows.count, k: d, n: k,
                                                       transposeB: true)
            return (0..<rows.count).map { Array(projected[($0 * k)..<($0 * k + k)]) }
        }
    }

    // MARK: - Factorisations

    /// The Cholesky factor of a symmetric positive-definite n×n matrix.
    public static func cholesky<T: LAPACKScalar>(_ a: [T], n: Int) throws -> Cholesky<T> {
        try checkSymmetric(a, n: n, op: "cholesky")
        // Row-major lower L is column-major upper U = Lᵀ: factor LAPACK's upper triangle.
        var l = a
        let info = l.withUnsafeMutableBufferPointer { T.lapack.potrf(uplo: UInt8(ascii: "U"), n: n, a: $0.baseAddress!, lda: n) }
        if info > 0 {
            throw TensorError.invalidArgument(op: "cholesky", message: "matrix is not positive definite (leading minor of order \(info))")
        }
        try checkInfo(info, op: "cholesky")
        for i in 0..<n { for j in (i + 1)..<n { l[i * n + j] = 0 } }
        return Cholesky(n: n, lower: l)
    }

    /// Eigenvalues (ascending) and eigenvectors of a symmetric n×n matrix (divide and conquer).
    public static func symmetricEigen<T: LAPACKScalar>(_ a: [T], n: Int) throws -> SymmetricEigen<T> {
        try checkSymmetric(a, n: n, op: "symmetricEigen")
        // Symmetric, so row- and column-major agree; LAPACK's eigenvector columns are our rows.
        var v = a
        var w = [T](repeating: 0, count: n)
        var workSize: T = 0
        var iworkSize: Int32 = 0
        let query = v.withUnsafeMutableBufferPointer { vp in
            T.lapack.syevd(jobz: UInt8(ascii: "V"), uplo: UInt8(ascii: "U"), n: n, a: vp.baseAddress!, lda: n, w: &w,
                    work: &workSize, lwork: -1, iwork: &iworkSize, liwork: -1)
        }
        try checkInfo(query, op: "symmetricEigen")
        var work = [T](repeating: 0, count: max(1, Int(workSize)))
        var iwork = [Int32](repeating: 0, count: max(1, Int(iworkSize)))
        let info = v.withUnsafeMutableBufferPointer { vp in
            T.lapack.syevd(jobz: UInt8(ascii: "V"), uplo: UInt8(ascii: "U"), n: n, a: vp.baseAddress!, lda: n, w: &w,
                    work: &work, lwork: work.count, iwork: &iwork, liwork: iwork.count)
        }
        if info > 0 { throw TensorError.invalidArgument(op: "symmetricEigen", message: "LAPACK did not converge (info \(info))") }
        try checkInfo(info, op: "symmetricEigen")
        return SymmetricEigen(n: n, values: w, vectors: v)
    }

    /// The thin SVD of a rows×cols matrix (divide and conquer).
    public static func svd<T: LAPACKScalar>(_ a: [T], rows m: Int, cols n: Int) throws -> SVD<T> {
        guard m > 0, n > 0 else {
            throw TensorError.invalidArgument(op: "svd", message: "matrix must be at least 1×1, got \(m)×\(n)")
        }
        try check(a, count: m * n, op: "svd", what: "\(m)×\(n) matrix")
        // Row-major A is column-major Aᵀ (n×m) = U′ S V′ᵀ, so A = V′ S U′ᵀ: LAPACK's Vᵀ buffer read
        // row-major is our U (m×k) and its U buffer is our Vᵀ (k×n).
        let k = min(m, n)
        var x = a
        var s = [T](repeating: 0, count: k)
        var lapackU = [T](repeating: 0, count: n * k)
        var lapackVt = [T](repeating: 0, count: k * m)
        var iwork = [Int32](repeating: 0, count: 8 * k)
        func run(_ work: inout [T], _ lwork: Int) -> Int {
            x.withUnsafeMutableBufferPointer { xp in
                T.lapack.gesdd(jobz: UInt8(ascii: "S"), m: n, n: m, a: xp.baseAddress!, lda: n, s: &s, u: &lapackU, ldu: n,
                        vt: &lapackVt, ldvt: k, work: &work, lwork: lwork, iwork: &iwork)
            }
        }
        var size = [T](repeating: 0, count: 1)
        try checkInfo(run(&size, -1), op: "svd")
        var work = [T](repeating: 0, count: max(1, Int(size[0])))
        let info = run(&work, work.count)
        if info > 0 { throw TensorError.invalidArgument(op: "svd", message: "LAPACK did not converge (info \(info))") }
        try checkInfo(info, op: "svd")
        return SVD(rows: m, cols: n, u: lapackVt, s: s, vt: lapackU)
    }

    /// The first `count` principal components of `rows` (n ≥ 2 rows of d features).
    public static func pca<T: LAPACKScalar>(_ rows: [[T]], components count: Int) throws -> PCA<T> {
        guard rows.count >= 2 else {
            throw TensorError.invalidArgument(op: "pca", message: "needs at least 2 rows, got \(rows.count)")
        }
        let n = rows.count
        let d = rows[0].count
        guard count >= 1, count <= min(n, d) else {
            throw TensorError.invalidArgument(op: "pca", message: "\(count) components from \(n) rows of \(d) features (need 1…\(min(n, d)))")
        }
        let (mean, centred) = try centre(rows, op: "pca")
        let f = try svd(centred, rows: n, cols: d)
        let variances = f.s.map { $0 * $0 / T(n - 1) }
        let total = variances.reduce(0, +)
        let components: [[T]] = (0..<count).map { c in
            var row = Array(f.vt[(c * d)..<(c * d + d)])
            let pivot = row.indices.max { abs(row[$0]) < abs(row[$1]) }!
            if row[pivot] < 0 { row = row.map { -$0 } }
            return row
        }
        let kept = Array(variances.prefix(count))
        return PCA(mean: mean, components: components, explainedVariance: kept,
                   explainedVarianceRatio: kept.map { total > 0 ? $0 / total : 0 })
    }

    // MARK: - Derived operations

    /// The symmetric square root of a symmetric positive semi-definite n×n matrix,
    /// V diag(√λ) Vᵀ; eigenvalues that rounding left slightly negative count as 0.
    public static func symmetricSquareRoot<T: LAPACKScalar>(_ a: [T], n: Int) throws -> [T] {
        let e = try symmetricEigen(a, n: n)
        let largest = e.values.map { abs($0) }.max() ?? 0
        if let worst = e.values.first, worst < -largest * T.ulpOfOne.squareRoot() {
            throw TensorError.invalidArgument(op: "symmetricSquareRoot", message: "matrix is not positive semi-definite (eigenvalue \(worst))")
        }
        // (V diag(λ^¼))(V diag(λ^¼))ᵀ: one GEMM.
        var scaled = e.vectors
        for k in 0..<n {
            let r = max(e.values[k], 0).squareRoot().squareRoot()
            for j in 0..<n { scaled[k * n + j] *= r }
        }
        return try multiply(scaled, scaled, m: n, k: n, n: n, transposeA: true)
    }

    /// The column means and the sample covariance (denominator n − 1, as `numpy.cov`) of
    /// n ≥ 2 rows of d features; the covariance is d×d row-major.
    public static func covariance<T: LAPACKScalar>(_ rows: [[T]]) throws -> (mean: [T], covariance: [T]) {
        guard rows.count >= 2 else {
            throw TensorError.invalidArgument(op: "covariance", message: "needs at least 2 rows, got \(rows.count)")
        }
        let (mean, centred) = try centre(rows, op: "covariance")
        let d = mean.count
        var c = try multiply(centred, centred, m: d, k: rows.count, n: d, transposeA: true)
        let scale = 1 / T(rows.count - 1)
        // Average the two triangles so the result is exactly symmetric.
        for i in 0..<d {
            for j in 0...i {
                let v = (c[i * d + j] + c[j * d + i]) / 2 * scale
                c[i * d + j] = v
                c[j * d + i] = v
            }
        }
        return (mean, c)
    }

    /// C = op(A)·op(B) with C m×n and inner size k, all row-major.
    public static func multiply<T: LAPACKScalar>(_ a: [T], _ b: [T], m: Int, k: Int, n: Int,
                                                 transposeA: Bool = false, transposeB: Bool = false) throws -> [T] {
        guard a.count == m * k, b.count == k * n else {
            throw TensorError.invalidArgument(op: "multiply", message: "\(a.count) and \(b.count) elements for a \(m)×\(k) by \(k)×\(n) product")
        }
        var c = [T](repeating: 0, count: m * n)
        T.lapack.gemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k, a: a, lda: transposeA ? m : k,
               b: b, ldb: transposeB ? k : n, c: &c, ldc: n)
        return c
    }

    // MARK: - Checks

    /// Rows flattened row-major; throws on ragged or non-finite rows.
    static func flatten<T: LAPACKScalar>(_ rows: [[T]], op: String, cols: Int? = nil) throws -> [T] {
        let d = cols ?? rows.first?.count ?? 0
        guard d > 0 else { throw TensorError.invalidArgument(op: op, message: "rows have no features") }
        var flat = [T]()
        flat.reserveCapacity(rows.count * d)
        for (i, row) in rows.enumerated() {
            guard row.count == d else {
                throw TensorError.invalidArgument(op: op, message: "row \(i) has \(row.count) features, expected \(d)")
            }
            if let j = row.firstIndex(where: { !$0.isFinite }) {
                throw TensorError.invalidArgument(op: op, message: "non-finite value \(row[j]) at row \(i), column \(j)")
            }
            flat += row
        }
        return flat
    }

    /// The column means and the centred rows, flattened.
    private static func centre<T: LAPACKScalar>(_ rows: [[T]], op: String) throws -> (mean: [T], centred: [T]) {
        var x = try flatten(rows, op: op)
        let n = rows.count, d = x.count / n
        var mean = [T](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += x[i * d + j] } }
        mean = mean.map { $0 / T(n) }
        for i in 0..<n { for j in 0..<d { x[i * d + j] -= mean[j] } }
        return (mean, x)
    }

    static func check<T: BinaryFloatingPoint>(_ a: [T], count: Int, op: String, what: String) throws {
        guard a.count == count else {
            throw TensorError.invalidArgument(op: op, message: "\(what) needs \(count) elements, got \(a.count)")
        }
        if let i = a.firstIndex(where: { !$0.isFinite }) {
            throw TensorError.invalidArgument(op: op, message: "non-finite value \(a[i]) at element \(i) of the \(what)")
        }
    }

    /// Shape, finiteness and symmetry (to a relative √ε: LAPACK reads one triangle only, so an
    /// asymmetric input would be silently misread).
    private static func checkSymmetric<T: LAPACKScalar>(_ a: [T], n: Int, op: String) throws {
        guard n > 0 else { throw TensorError.invalidArgument(op: op, message: "matrix must be at least 1×1, got \(n)×\(n)") }
        try check(a, count: n * n, op: op, what: "\(n)×\(n) matrix")
        let scale = a.map { abs($0) }.max() ?? 0
        let tolerance = scale * T.ulpOfOne.squareRoot()
        for i in 0..<n {
            for j in 0..<i where abs(a[i * n + j] - a[j * n + i]) > tolerance {
                throw TensorError.invalidArgument(op: op, message: "matrix is not symmetric: (\(i), \(j)) is \(a[i * n + j]) but (\(j), \(i)) is \(a[j * n + i])")
            }
        }
    }

    /// A negative LAPACK `info` is a bad argument, which the checks above should make impossible.
    private static func checkInfo(_ info: Int, op: String) throws {
        if info < 0 { throw TensorError.invalidArgument(op: op, message: "LAPACK rejected argument \(-info)") }
    }
}
