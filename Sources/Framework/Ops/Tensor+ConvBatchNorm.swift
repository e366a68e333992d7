extension Tensor {
    /// Inference only: `batchNorm(conv2d(self, weight, bias))` with BatchNorm's running
    /// statistics, plus `residual` (a tensor of the output's shape) if given, then
    /// `activation`, all in the one pass that writes the output.
    ///
    /// BatchNorm in eval mode is a per-channel affine map `y·s + (β − μ·s)` with
    /// `s = γ/√(σ² + ε)`; it is applied where the convolution's output is written, not as a
    /// second pass and not by rescaling a copy of the weights. The result equals the unfused
    /// ops up to rounding. Nothing is recorded on the tape: callers use it only when
    /// gradients are off.
    func conv2dBatchNormInference(weight: Tensor, bias: Tensor?, stride: (Int, Int), padding: (Int, Int),
                                dilation: (Int, Int), groups: Int, runningMean: Tensor, runningVar: Tensor,
                                scale gamma: Tensor, shift beta: Tensor, eps: Float, residual: Tensor? = nil,
                                activation: ConvKernels.Epilogue.Activation) throws -> Tensor {
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
        // The convolution runs on the weights as they are; each output channel is then
        // scaled by s and shifted in the pass that writes it (no copy of the weights).
        var scale = [Float](repeating: 0, count: cout), shift = [Float](repeating: 0, count: cout)
        for c in 0..<cout {
            scale[c] = gamma.storage[c] / (runningVar.storage[c] + eps).squareRoot()
            shift[c] = beta.storage[c] + ((bias?.storage[c] ?? 0) - runningMean.storage[c]) * scale[c]
        }
        let x = self
        return Tensor.build(outShape) { y in
            x.storage.withUnsafeBufferPointer { px in
                weight.storage.withUnsafeBufferPointer { pw in
                    scale.withUnsafeBufferPointer { ps in
                        shift.withUnsafeBufferPointer { pb in
                            Tensor.withOptionalPointer(residual) { pr in
                                let epilogue = ConvKernels.Epilogue(scale: ps.baseAddress!, shift: pb.baseAddress!,
                                                                    residual: pr, activation: activation)
                                ConvKernels.forward(g, input: px.baseAddress!, weight: pw.baseAddress!, bias: nil,
                                                    output: y, epilogue: epilogue)
                            }
                        }
                    }
                }
            }
        }
    }
}
