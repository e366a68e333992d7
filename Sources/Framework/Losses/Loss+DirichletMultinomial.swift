extension Loss {
    /// Dirichlet-multinomial negative log-likelihood of vote counts, per example and
    /// question (Zoobot's Galaxy Zoo loss). Returns [N, Q].
    ///
    /// For question q with answer columns `questions[q]`, counts k (N = Σk) and
    /// concentrations α (α₀ = Σα), the value is
    /// −[lnΓ(N+1) + lnΓ(α₀) − lnΓ(N+α₀) + Σₐ (lnΓ(kₐ+αₐ) − lnΓ(αₐ) − lnΓ(kₐ+1))].
    /// A question nobody answered (N = 0) contributes exactly 0, with exactly 0 gradient.
    /// Evaluated in Double: the terms are large and nearly cancel. Only α gets a gradient;
    /// counts are data.
    public static func dirichletMultinomial(concentrations alpha: Tensor, counts: Tensor,
                                            questions: [Range<Int>]) throws -> Tensor {
        let op = "dirichletMultinomial"
        guard alpha.rank == 2 else {
            throw TensorError.invalidArgument(op: op, message: "concentrations must be [N, A], got shape \(alpha.shape)")
        }
        guard counts.shape == alpha.shape else {
            throw TensorError.shapeMismatch(op: op, lhs: alpha.shape, rhs: counts.shape,
                                            detail: "concentrations and counts must have the same shape")
        }
        let n = alpha.shape[0], a = alpha.shape[1], nq = questions.count
        if let q = questions.firstIndex(where: { $0.lowerBound < 0 || $0.upperBound > a }) {
            throw TensorError.invalidArgument(op: op, message: "question \(q) spans columns \(questions[q]), outside 0..<\(a)")
        }
        // Local copies: the loops below read plain arrays, not class fields.
        let kData = counts.storage, alphaData = alpha.storage
        let used = questions.reduce(into: Set<Int>()) { $0.formUnion($1) }.sorted()
        for i in 0..<n {
            for j in used {
                let k = kData[i * a + j], al = alphaData[i * a + j]
                guard k >= 0, k.isFinite else {
                    throw TensorError.invalidArgument(op: op, message: "count \(k) at [\(i), \(j)] must be finite and ≥ 0")
                }
                guard al > 0, al.isFinite else {
                    throw TensorError.invalidArgument(op: op, message: "concentration \(al) at [\(i), \(j)] must be finite and > 0")
                }
            }
        }

        var out = [Float](repeating: 0, count: n * nq)
        for i in 0..<n {
            for (q, cols) in questions.enumerated() {
                var total = 0.0, alpha0 = 0.0, sum = 0.0
                for j in cols {
                    let k = Double(kData[i * a + j]), al = Double(alphaData[i * a + j])
                    total += k
                    alpha0 += al
                    sum += Special.lgamma(k + al) - Special.lgamma(al) - Special.lgamma(k + 1)
                }
                guard total > 0 else { continue }
                let logLikelihood = Special.lgamma(total + 1) + Special.lgamma(alpha0) - Special.lgamma(total + alpha0) + sum
                out[i * nq + q] = Float(-logLikelihood)
            }
        }
        return Tensor(unchecked: [n, nq], storage: out).recorded(op, [alpha]) { g, _ in
            // ∂/∂αₐ = −[ψ(α₀) − ψ(N+α₀) + ψ(kₐ+αₐ) − ψ(αₐ)] for answered questions.
            var grad = [Double](repeating: 0, count: n * a)
            let gData = g.storage
            for i in 0..<n {
                for (q, cols) in questions.enumerated() {
                    let gq = Double(gData[i * nq + q])
                    var total = 0.0, alpha0 = 0.0
                    for j in cols {
                        total += Double(kData[i * a + j])
                        alpha0 += Double(alphaData[i * a + j])
                    }
                    guard total > 0, gq != 0 else { continue }
                    let shared = Special.digamma(alpha0) - Special.digamma(total + alpha0)
                    for j in cols {
                        let k = Double(kData[i * a + j]), al = Double(alphaData[i * a + j])
                        let own = k == 0 ? 0 : Special.digamma(k + al) - Special.digamma(al)
                        grad[i * a + j] -= gq * (shared + own)
                    }
                }
            }
            return [Tensor(unchecked: [n, a], storage: grad.map(Float.init))]
        }
    }
}
