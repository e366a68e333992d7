/// Dividing a weight by an estimate of its largest singular value, the differentiable half
/// of spectral normalisation (Miyato et al. 2018; `SpectralNorm` runs the power iteration).
extension Tensor {
    /// `self / σ` with σ = uᵀ W v, where W is this weight viewed as [shape[0], rest] and u
    /// [shape[0]], v [rest] are the power iteration's singular-vector estimates. u and v are
    /// constants here, as in PyTorch's `spectral_norm`: the gradient flows through W in both
    /// the numerator and σ.
    public func dividedBySpectralEstimate(u: Tensor, v: Tensor) throws -> Tensor {
        guard rank >= 2, u.count == shape[0], v.count * shape[0] == count else {
            throw TensorError.invalidArgument(op: "dividedBySpectralEstimate",
                                              message: "weight \(shape) needs u of \(shape.first ?? 0) and v of \(count / Swift.max(1, shape.first ?? 1)) values, got \(u.shape) and \(v.shape)")
        }
        let rows = shape[0], cols = count / rows
        let w = try reshaped([rows, cols])
        let sigma = try u.detached().reshaped([1, rows]).matmul(w).matmul(v.detached().reshaped([cols, 1]))
        return try self / sigma.reshaped([Int](repeating: 1, count: rank))
    }
}
