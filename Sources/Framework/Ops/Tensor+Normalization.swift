import Foundation

/// Layer and group normalisation, and the recording shared with batch norm.
extension Tensor {
    /// Layer normalisation over the last `normalizedCount` axes (PyTorch `nn.LayerNorm`).
    ///
    /// Each slice over the trailing axes is normalised with its own mean and biased variance;
    /// `weight` and `bias`, when given, have the shape of those trailing axes.
    public func layerNorm(weight: Tensor?, bias: Tensor?, eps: Float = 1e-6, axes normalizedCount: Int = 1) throws -> Tensor {
        guard normalizedCount >= 1, normalizedCount <= rank else {
            throw TensorError.invalidArgument(op: "layerNorm", message: "cannot normalise the last \(normalizedCount) axes of a tensor of shape \(shape)")
        }
        let trailing = Array(shape.suffix(normalizedCount))
        try checkAffine(weight, bias, expected: trailing, op: "layerNorm")
        let d = Shape.count(trailing)!
        let plan = Normalization(layout: .rowIsGroup, outer: d == 0 ? 0 : count / d, channels: 1, inner: d)
        return normalizeWithBatchStatistics(plan, weight: weight, bias: bias, eps: eps, name: "layerNorm")
    }

    /// Layer normalisation over the channels of an [N, C, H, W] tensor at each pixel (timm's
    /// `LayerNorm2d`, as ConvNeXt uses), computed in place on NCHW without permuting.
    /// `weight` and `bias` are [C].
    public func layerNorm2d(weight: Tensor?, bias: Tensor?, eps: Float = 1e-6) throws -> Tensor {
        let (n, c, hw) = try channelView(op: "layerNorm2d")
        try checkAffine(weight, bias, expected: [c], op: "layerNorm2d")
        let plan = Normalization(layout: .columnGroups, outer: n, channels: c, inner: hw)
        return normalizeWithBatchStatistics(plan, weight: weight, bias: bias, eps: eps, name: "layerNorm2d")
    }

    /// Group normalisation of an [N, C, H, W] tensor (PyTorch `nn.GroupNorm`): the channels
    /// are split into `groups` consecutive groups, each normalised over its channels and
    /// pixels per sample. `weight` and `bias` are [C].
    public func groupNorm(groups: Int, weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) throws -> Tensor {
        let (n, c, hw) = try channelView(op: "groupNorm")
        guard groups >= 1, c % groups == 0 else {
            throw TensorError.invalidArgument(op: "groupNorm", message: "\(c) channels of input \(shape) cannot be split into \(groups) groups")
        }
        try checkAffine(weight, bias, expected: [c], op: "groupNorm")
        let plan = Normalization(layout: .rowGroups(groupsPerOuter: groups, channelsPerGroup: c / groups),
                                 outer: n, channels: c, inner: hw)
        return normalizeWithBatchStatistics(plan, weight: weight, bias: bias, eps: eps, name: "groupNorm")
    }

    // MARK: - Shared by the normalisation ops

    /// The input as [N, C, rest] for ops that take [N, C, …] tensors.
    func channelView(op: String) throws -> (Int, Int, Int) {
        guard rank >= 2 else {
            throw TensorError.invalidArgument(op: op, message: "input must be [N, C, …], got shape \(shape)")
        }
        let n = shape[0], c = shape[1]
        return (n, c, n * c == 0 ? 0 : count / (n * c))
    }

    /// Throws unless each given affine parameter has the expected shape.
    func checkAffine(_ weight: Tensor?, _ bias: Tensor?, expected: [Int], op: String) throws {
        for (name, p) in [("weight", weight), ("bias", bias)] {
            guard let p, p.shape != expected else { continue }
            throw TensorError.shapeMismatch(op: op, lhs: shape, rhs: p.shape,
                                            detail: "\(name) must be \(expected) for input \(shape)")
        }
    }

    /// Normalises with statistics computed from this tensor (all but batch norm in eval);
    /// `moments` passes them in when the caller has already computed them.
    func normalizeWithBatchStatistics(_ plan: Normalization, moments: (mean: [Double], variance: [Double])? = nil,
                                      weight: Tensor?, bias: Tensor?, eps: Float, name: String) -> Tensor {
        let (mean, variance) = moments ?? plan.moments(storage)
        return normalize(plan, mean: mean.map { Float($0) }, rstd: variance.map { Float(1 / ($0 + Double(eps)).squareRoot()) },
                         constantStatistics: false, weight: weight, bias: bias, name: name)
    }

    /// Applies (x − mean)·rstd·weight + bias and records its backward for x, weight and bias.
    func normalize(_ plan: Normalization, mean: [Float], rstd: [Float], constantStatistics: Bool,
                   weight: Tensor?, bias: Tensor?, name: String) -> Tensor {
        let out = Tensor(unchecked: shape, storage: plan.apply(storage, mean: mean, rstd: rstd,
                                                               weight: weight?.storage, bias: bias?.storage))
        let x = self
        var inputs = [x]
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        return out.recorded(name, inputs) { g, _ in
            let (dx, dW, dB) = plan.backward(x.storage, g.storage, mean: mean, rstd: rstd, weight: weight?.storage,
                                             constantStatistics: constantStatistics, needInput: x.requiresGrad)
            var grads: [Tensor?] = [dx.map { Tensor(unchecked: x.shape, storage: $0) }]
            if let weight { grads.append(Tensor(unchecked: weight.shape, storage: dW)) }
            if let bias { grads.append(Tensor(unchecked: bias.shape, storage: dB)) }
            return grads
        }
    }
}
