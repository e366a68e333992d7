extension Loss {
    /// Absolute error |prediction − target| element-wise; the gradient at 0 is 0, as in PyTorch.
    public static func l1(_ prediction: Tensor, _ target: Tensor) throws -> Tensor {
        try ofDifference("l1", prediction, target, value: { Swift.abs($0) }, slope: { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) })
    }
}
