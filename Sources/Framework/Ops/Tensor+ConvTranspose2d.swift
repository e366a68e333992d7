extension Tensor {
    /// Transposed 2-D convolution of NCHW images, with PyTorch's `conv_transpose2d` semantics.
    ///
    /// `self` is `[N, Cin, H, W]`, `weight` is `[Cin, Cout/groups, kh, kw]` and `bias` is
    /// `[Cout]`; the result is `[N, Cout, OH, OW]` with
    /// `OH = (H − 1)·stride − 2·padding + dilation·(kh − 1) + outputPadding + 1`. It is the
    /// adjoint (data gradient) of `conv2d` with the same weight and arguments, so it runs on
    /// the same kernels with the image and output sides swapped.
    public func convTranspose2d(weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                                padding: (Int, Int) = (0, 0), outputPadding: (Int, Int) = (0, 0),
                                dilation: (Int, Int) = (1, 1), groups: Int = 1) throws -> Tensor {
        let op = "convTranspose2d"
        try Tensor.checkConvArguments(op: op, input: self, weight: weight, stride: stride, padding: padding,
                                      dilation: dilation, groups: groups)
        let (n, cin, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let (win, coutG, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        guard win == cin else {
            throw TensorError.shapeMismatch(op: op, lhs: shape, rhs: weight.shape,
                                            detail: "input has \(cin) channels but the weight's first dimension is \(win)")
        }
        guard cin % groups == 0 else {
            throw TensorError.shapeMismatch(op: op, lhs: shape, rhs: weight.shape,
                                            detail: "groups \(groups) must divide the \(cin) input channels")
        }
        let cout = coutG * groups
        try Tensor.checkBias(op: op, bias: bias, channels: cout, weight: weight)
        let paddings = [(outputPadding.0, stride.0, dilation.0), (outputPadding.1, stride.1, dilation.1)]
        guard paddings.allSatisfy({ p, s, d in p >= 0 && (p < s || p < d) }) else {
            throw TensorError.invalidArgument(op: op, message: "output padding \(outputPadding) must be ≥ 0 and smaller than either the stride \(stride) or the dilation \(dilation) (input \(shape), weight \(weight.shape))")
        }
        let oh = (h - 1) * stride.0 - 2 * padding.0 + dilation.0 * (kh - 1) + outputPadding.0 + 1
        let ow = (w - 1) * stride.1 - 2 * padding.1 + dilation.1 * (kw - 1) + outputPadding.1 + 1
        guard oh > 0, ow > 0 else {
            throw TensorError.shapeMismatch(op: op, lhs: shape, rhs: weight.shape,
                                            detail: "padding \(padding) leaves an output of \(oh)×\(ow)")
        }
        // The convolution whose data gradient this is: it reads the [Cout, OH, OW] result
        // and writes the [Cin, H, W] input.
        let g = ConvGeometry(batch: n, image: (cout, oh, ow), output: (cin, h, w), kernel: (kh, kw), stride: stride,
                             padding: padding, dilation: dilation, groups: groups)
        let x = self
        let out = Tensor.build([n, cout, oh, ow]) { y in
            x.storage.withUnsafeBufferPointer { px in
                weight.storage.withUnsafeBufferPointer { pw in
                    ConvKernels.backwardData(g, outputGrad: px.baseAddress!, weight: pw.baseAddress!, inputGrad: y)
                }
            }
            Tensor.withOptionalPointer(bias) { pb in
                if let pb { ConvKernels.addBias(batch: n, channels: cout, plane: oh * ow, pb, y) }
            }
        }
        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return out.recorded(op, inputs) { grad, _ in
            var dx: Tensor? = nil
            if x.requiresGrad {
                dx = Tensor.build(x.shape) { px in
                    grad.storage.withUnsafeBufferPointer { pg in
                        weight.storage.withUnsafeBufferPointer { pw in
                            ConvKernels.forward(g, input: pg.baseAddress!, weight: pw.baseAddress!, bias: nil, output: px)
                        }
                    }
                }
            }
            let dw = weight.requiresGrad ? Tensor.convWeight(g, image: grad, outputGrad: x, shape: weight.shape) : nil
            var grads: [Tensor?] = [dx, dw]
            if let bias {
                grads.append(bias.requiresGrad ? Tensor.convBias(grad, shape: bias.shape) : nil)
            }
            return grads
        }
    }
}
