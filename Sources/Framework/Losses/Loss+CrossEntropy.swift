extension Loss {
    /// Softmax cross-entropy per example, with PyTorch's `cross_entropy` semantics for
    /// `reduction='none'`.
    ///
    /// For logits z [N, C] and log-probabilities ℓ = logSoftmax(z), example i costs
    /// (1 − ε)·w[yᵢ]·(−ℓ[i, yᵢ]) + (ε / C)·Σ_c w[c]·(−ℓ[i, c]), where ε is `labelSmoothing`
    /// and w the class weights (all 1 when nil). Returns [N].
    public static func crossEntropy(logits: Tensor, targets: [Int], labelSmoothing: Float = 0,
                                    classWeights: [Float]? = nil) throws -> Tensor {
        let op = "crossEntropy"
        guard logits.rank == 2 else {
            throw TensorError.invalidArgument(op: op, message: "logits must be [N, C], got shape \(logits.shape)")
        }
        let n = logits.shape[0], c = logits.shape[1]
        guard targets.count == n else {
            throw TensorError.invalidArgument(op: op, message: "\(targets.count) targets for logits of shape \(logits.shape)")
        }
        if let i = targets.firstIndex(where: { $0 < 0 || $0 >= c }) {
            throw TensorError.invalidArgument(op: op, message: "target \(targets[i]) at index \(i) is out of range for C = \(c) classes")
        }
        guard labelSmoothing >= 0, labelSmoothing <= 1 else {
            throw TensorError.invalidArgument(op: op, message: "labelSmoothing must be in [0, 1], got \(labelSmoothing)")
        }
        let w = classWeights ?? [Float](repeating: 1, count: c)
        guard w.count == c else {
            throw TensorError.invalidArgument(op: op, message: "\(w.count) class weights for C = \(c) classes")
        }
        // Per-example weights on each class's −log p: the loss is −Σ_c q[i, c]·ℓ[i, c].
        let eps = labelSmoothing
        var q = [Float](repeating: 0, count: n * c)
        for i in 0..<n {
            for k in 0..<c { q[i * c + k] = eps / Float(c) * w[k] }
            q[i * c + targets[i]] += (1 - eps) * w[targets[i]]
        }
        let weights = Tensor(unchecked: [n, c], storage: q)
        return try -(logits.logSoftmax(axis: 1) * weights).sum(axes: [1])
    }
}
