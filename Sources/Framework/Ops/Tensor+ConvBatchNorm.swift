extension Tensor {
    /// Inference only: `batchNorm(conv2d(self, weight, bias))` with BatchNorm's running
    /// statistics folded into the convolution, plus `residual` (a tensor of the output's
    /// shape) if given, then `max(·, 0)` if `relu`, in one pass over the output.
    ///
    /// BatchNorm in eval mode is a per-channel affine map `y·s + (β − μ·s)` with
    /// `s = γ/√(σ² + ε)`, so it commutes into the weight (`w·s` per output channel) and the
    /// bias; the result equals the unfused ops up to rounding. Nothing is recorded on the tape:
    /// callers use it only when gradients are off.
    func conv2dFoldingBatchNorm(weight: Tensor, bias: Tensor?, stride: (Int, Int), padding: (Int, Int),
                                dilation: (Int, Int), groups: Int, runningMean: Tensor, runningVar: Tensor,
                                scale gamma: Tensor, shift beta: Tensor, eps: Float, residual: Tensor? = nil,
                                relu: Bool) throws -> Tensor {
        let op = "conv2d+batchNorm"
        let g = try Tensor.convGeometry(op: op, input: self, weight: weight, bias: bias, stride: stride, padding: padding,
                                        dilation: dilation, groups: groups)
        let cout = g.outChannels
        for (name, t) in [("running_mean", runningMean), ("running_var", runningVar), ("weight", gamma), ("bias", beta)]
        where t.shape != [cout] {
            throw TensorError.shapeMismatch(op: op, lhs: weight.shape, rhs: t.shape,
                                            detail: "BatchNorm \(name) must have one value per output channel (\(cout))")
        }
        let outShape = [g.batch, cout, g.outHeight, g.outWidth]
        if let residual, residual.shape != outShape {
            throw TensorError.shapeMismatch(op: op, lhs: outShape, rhs: residual.shape,
                                            detail: "the residual added to the output must have the output's shape")
        }
        let perChannel = weight.count / Swift.max(1, cout)
        var foldedWeight = weight.storage, foldedBias = [Float](repeating: 0, count: cout)
        for c in 0..<cout {
            let s = gamma.storage[c] / (runningVar.storage[c] + eps).squareRoot()
            for i in c * perChannel..<(c + 1) * perChannel { foldedWeight[i] *= s }
            foldedBias[c] = beta.storage[c] + ((bias?.storage[c] ?? 0) - runningMean.storage[c]) * s
        }
        let x = self
        return Tensor.build(outShape) { y in
            x.storage.withUnsafeBufferPointer { px in
                foldedWeight.withUnsafeBufferPointer { pw in
                    foldedBias.withUnsafeBufferPointer { pb in
                        Tensor.withOptionalPointer(residual) { pr in
                            ConvKernels.forward(g, input: px.baseAddress!, weight: pw.baseAddress!, bias: pb.baseAddress!,
                                                output: y, epilogue: ConvKernels.Epilogue(residual: pr, relu: relu))
                        }
                    }
                }
            }
        }
    }
}
