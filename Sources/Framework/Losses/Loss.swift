/// Loss functions, each returning unreduced values — one per example or per element — so
/// that the caller chooses the reduction (mean, sum, masked mean, per-question weights).
public enum Loss {
    /// An element-wise loss f(prediction − target) for two same-shaped tensors, with the
    /// derivative f′ giving both gradients (+f′ for the prediction, −f′ for the target).
    static func ofDifference(_ name: String, _ prediction: Tensor, _ target: Tensor,
                             value: @escaping (Float) -> Float, slope: @escaping (Float) -> Float) throws -> Tensor {
        guard prediction.shape == target.shape else {
            throw TensorError.shapeMismatch(op: name, lhs: prediction.shape, rhs: target.shape,
                                            detail: "prediction and target must have the same shape")
        }
        return Tensor.pointwise(prediction, target) { value($0 - $1) }.recorded(name, [prediction, target]) { g, _ in
            let d = Tensor.pointwise(g, prediction, target) { g, p, t in g * slope(p - t) }
            return [prediction.requiresGrad ? d : nil, target.requiresGrad ? -d : nil]
        }
    }
}
