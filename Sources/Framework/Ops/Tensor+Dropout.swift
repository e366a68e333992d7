/// Inverted dropout: the op behind the Dropout module and MC-dropout predictions.
extension Tensor {
    /// Elements drawn per random stream. Fixed, so the mask depends only on the generator's
    /// state and never on the thread count.
    static let dropoutBlock = 4096

    /// Zeroes each element with probability `p` and scales the survivors by 1/(1 − p), so
    /// the expected value is unchanged; the gradient passes through the same mask.
    ///
    /// The mask is a function of `rng`'s state alone, which advances by one draw per call.
    /// The op saturates instead of failing: p ≤ 0 (or NaN) returns the input and p ≥ 1
    /// returns zeros; modules validate the configured probability.
    public func dropout(probability p: Float, rng: inout RandomGenerator) -> Tensor {
        let seed = rng.next()
        guard p > 0 else { return self }
        let n = count
        var mask = [Float](repeating: 0, count: n)
        if p < 1 {
            let scale = 1 / (1 - p)
            let blocks = (n + Tensor.dropoutBlock - 1) / Tensor.dropoutBlock
            mask.withUnsafeMutableBufferPointer { m in
                let dst = m.baseAddress
                Parallel.chunks(blocks, minChunk: Tensor.pointwiseMinChunk / Tensor.dropoutBlock) { start, end in
                    for b in start..<end {
                        var gen = RandomGenerator(seed: seed, stream: UInt64(b))
                        let lo = b * Tensor.dropoutBlock, hi = Swift.min(lo + Tensor.dropoutBlock, n)
                        for i in lo..<hi { dst![i] = gen.uniform() < p ? 0 : scale }
                    }
                }
            }
        }
        let keep = Tensor(unchecked: shape, storage: mask)
        return Tensor.pointwise(self, keep) { $0 * $1 }.recorded("dropout", [self]) { g, _ in
            [Tensor.pointwise(g, keep) { $0 * $1 }]
        }
    }
}
