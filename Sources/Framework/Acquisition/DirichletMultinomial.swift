import Foundation

/// The Dirichlet-multinomial distribution of vote counts, and the mutual information between
/// counts and MC-dropout pass that vote-tree BALD needs (Walmsley et al. 2020, arXiv
/// 1905.07424): the entropy of the pass-averaged distribution minus the mean entropy of each
/// pass's distribution.
public enum DirichletMultinomial {
    /// log P(counts | N = Σ counts, α) = log N! − Σ log nⱼ! + log Γ(A) − log Γ(N + A)
    /// + Σ [log Γ(nⱼ + αⱼ) − log Γ(αⱼ)], A = Σ α.
    public static func logProbability(counts: [Int], alpha: [Double]) -> Double {
        var n = 0, a = 0.0, s = 0.0
        for (c, al) in zip(counts, alpha) {
            n += c
            a += al
            s += lgamma(Double(c) + al) - lgamma(al) - lgamma(Double(c) + 1)
        }
        return s + lgamma(Double(n) + 1) + lgamma(a) - lgamma(Double(n) + a)
    }

    /// Number of count vectors of `parts` non-negative integers summing to `total`,
    /// C(total + parts − 1, parts − 1), or nil once it exceeds `limit`.
    public static func countVectorCount(total: Int, parts: Int, limit: Int) -> Int? {
        guard parts > 0 else { return nil }
        var c = 1.0
        for j in 1..<max(1, parts) {
            c = c * Double(total + j) / Double(j)
            if c > Double(limit) + 0.5 { return nil }
        }
        return Int(c.rounded())
    }

    /// Every count vector of `parts` entries summing to `total`, in lexicographic order.
    public static func countVectors(total: Int, parts: Int) -> [[Int]] {
        var out: [[Int]] = []
        var current = [Int](repeating: 0, count: parts)
        func fill(_ j: Int, _ remaining: Int) {
            if j == parts - 1 {
                current[j] = remaining
                out.append(current)
                return
            }
            for c in 0...remaining {
                current[j] = c
                fill(j + 1, remaining - c)
            }
        }
        if parts > 0 { fill(0, total) }
        return out
    }

    /// One count vector from DM(N, α) by the Pólya urn: each of N draws picks answer j with
    /// probability (αⱼ + nⱼ) / (A + draws so far).
    public static func sample(total: Int, alpha: [Double], rng: inout RandomGenerator) -> [Int] {
        var counts = [Int](repeating: 0, count: alpha.count)
        var a = alpha.reduce(0, +)
        for _ in 0..<total {
            var u = rng.uniformDouble() * a
            var pick = alpha.count - 1
            for j in alpha.indices {
                u -= alpha[j] + Double(counts[j])
                if u < 0 { pick = j; break }
            }
            counts[pick] += 1
            a += 1
        }
        return counts
    }

    /// Mutual information between the counts of one question and the pass, in nats:
    /// H[mean_t DM(k | αₜ)] − mean_t H[DM(k | αₜ)], the counts summing to `total`. Exact by
    /// enumeration when there are at most `maxEnumerated` count vectors; otherwise the Monte
    /// Carlo estimate mean_t E_{k∼DM(αₜ)}[log DM(k | αₜ) − log mean_s DM(k | αₛ)] from
    /// `samples` draws per pass.
    public static func mutualInformation(alphas: [[Double]], total: Int, maxEnumerated: Int, samples: Int,
                                         rng: inout RandomGenerator) -> Double {
        guard total > 0, alphas.count > 1, let parts = alphas.first?.count, parts > 1 else { return 0 }
        let t = Double(alphas.count)
        // log of the mixture mean_s DM(k | αₛ), by log-sum-exp.
        func logMixture(_ logs: [Double]) -> Double {
            let m = logs.max()!
            return m + log(logs.reduce(0) { $0 + exp($1 - m) }) - log(t)
        }
        if countVectorCount(total: total, parts: parts, limit: maxEnumerated) != nil {
            var mixtureEntropy = 0.0, meanEntropy = 0.0
            for k in countVectors(total: total, parts: parts) {
                let logs = alphas.map { logProbability(counts: k, alpha: $0) }
                let lm = logMixture(logs)
                mixtureEntropy -= exp(lm) * lm
                for l in logs { meanEntropy -= exp(l) * l / t }
            }
            return max(0, mixtureEntropy - meanEntropy)
        }
        var sum = 0.0
        for alpha in alphas {
            for _ in 0..<samples {
                let k = sample(total: total, alpha: alpha, rng: &rng)
                let logs = alphas.map { logProbability(counts: k, alpha: $0) }
                sum += logProbability(counts: k, alpha: alpha) - logMixture(logs)
            }
        }
        return max(0, sum / (t * Double(samples)))
    }
}
