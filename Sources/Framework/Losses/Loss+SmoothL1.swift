extension Loss {
    /// Smooth L1 element-wise (PyTorch's `smooth_l1_loss`, no reduction): ½d²/β where
    /// |d| < β, |d| − ½β elsewhere, with d = prediction − target. β = 0 is exactly L1.
    public static func smoothL1(_ prediction: Tensor, _ target: Tensor, beta: Float = 1) throws -> Tensor {
        guard beta >= 0 else {
            throw TensorError.invalidArgument(op: "smoothL1", message: "beta must be ≥ 0, got \(beta)")
        }
        return try ofDifference("smoothL1", prediction, target, value: { d in
            let a = Swift.abs(d)
            return a < beta ? 0.5 * d * d / beta : a - 0.5 * beta
        }, slope: { d in
            Swift.abs(d) < beta ? d / beta : (d > 0 ? 1 : (d < 0 ? -1 : 0))
        })
    }
}
