extension Loss {
    /// Binary cross-entropy on logits element-wise (PyTorch's
    /// `binary_cross_entropy_with_logits`, no reduction):
    /// −[w·t·log σ(x) + (1 − t)·log(1 − σ(x))] with w = `posWeight` (1 when nil).
    ///
    /// Written as (1 − t)·x + (1 + (w − 1)·t)·softplus(−x), which is finite for any logit.
    /// Targets may be soft (in [0, 1]) and receive a gradient when they require one.
    public static func binaryCrossEntropyWithLogits(logits: Tensor, targets: Tensor, posWeight: Float? = nil) throws -> Tensor {
        guard logits.shape == targets.shape else {
            throw TensorError.shapeMismatch(op: "binaryCrossEntropyWithLogits", lhs: logits.shape, rhs: targets.shape,
                                            detail: "logits and targets must have the same shape")
        }
        let w = posWeight ?? 1
        let out = Tensor.pointwise(logits, targets) { x, t in
            (1 - t) * x + (1 + (w - 1) * t) * ScalarActivation.softplus(-x)
        }
        return out.recorded("binaryCrossEntropyWithLogits", [logits, targets]) { g, _ in
            var gx: Tensor? = nil, gt: Tensor? = nil
            if logits.requiresGrad {
                // d softplus(−x)/dx = σ(x) − 1.
                gx = Tensor.pointwise(g, logits, targets) { g, x, t in
                    g * ((1 - t) + (1 + (w - 1) * t) * (ScalarActivation.sigmoid(x) - 1))
                }
            }
            if targets.requiresGrad {
                gt = Tensor.pointwise(g, logits, targets) { g, x, _ in
                    g * (-x + (w - 1) * ScalarActivation.softplus(-x))
                }
            }
            return [gx, gt]
        }
    }
}
