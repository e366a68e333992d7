extension Loss {
    /// Squared error (prediction − target)² element-wise (PyTorch's `mse_loss`, no reduction).
    public static func mse(_ prediction: Tensor, _ target: Tensor) throws -> Tensor {
        try ofDifference("mse", prediction, target, value: { $0 * $0 }, slope: { 2 * $0 })
    }
}
