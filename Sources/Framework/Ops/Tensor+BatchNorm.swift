/// Batch normalisation with running statistics (PyTorch `nn.BatchNorm1d/2d` semantics).
extension Tensor {
    /// Batch normalisation of an [N, C] or [N, C, H, W] (any [N, C, …]) tensor.
    ///
    /// In training the input is normalised with the batch mean and biased variance of each
    /// channel, and the running buffers are updated in place (`storage` is mutated), as
    /// PyTorch does: running = (1 − momentum)·running + momentum·batch, where the variance
    /// folded into `runningVar` is the *unbiased* batch variance. In eval the running
    /// statistics are used and nothing is updated. Gradients flow to the input, weight and
    /// bias in both modes; in training they include the path through the batch statistics.
    public func batchNorm(runningMean: Tensor, runningVar: Tensor, weight: Tensor?, bias: Tensor?,
                          training: Bool, momentum: Float = 0.1, eps: Float = 1e-5) throws -> Tensor {
        let op = "batchNorm"
        let (n, c, hw) = try channelView(op: op)
        for (name, buffer) in [("running_mean", runningMean), ("running_var", runningVar)] where buffer.shape != [c] {
            throw TensorError.shapeMismatch(op: op, lhs: shape, rhs: buffer.shape,
                                            detail: "\(name) must be [\(c)] for input \(shape)")
        }
        try checkAffine(weight, bias, expected: [c], op: op)
        let plan = Normalization(layout: .rowGroups(groupsPerOuter: 0, channelsPerGroup: 1), outer: n, channels: c, inner: hw)

        guard training else {
            let rstd = runningVar.storage.map { 1 / ($0 + eps).squareRoot() }
            return normalize(plan, mean: runningMean.storage, rstd: rstd, constantStatistics: true,
                             weight: weight, bias: bias, name: op)
        }
        let m = plan.groupSize
        guard m > 1 else {
            throw TensorError.invalidArgument(op: op, message: "training needs more than one value per channel, got input \(shape)")
        }
        let moments = plan.moments(storage)
        let (mean, variance) = moments
        let keep = 1 - Double(momentum), unbias = Double(m) / Double(m - 1)
        for i in 0..<c {
            runningMean.storage[i] = Float(keep * Double(runningMean.storage[i]) + Double(momentum) * mean[i])
            runningVar.storage[i] = Float(keep * Double(runningVar.storage[i]) + Double(momentum) * variance[i] * unbias)
        }
        return normalizeWithBatchStatistics(plan, moments: moments, weight: weight, bias: bias, eps: eps, name: op)
    }
}
