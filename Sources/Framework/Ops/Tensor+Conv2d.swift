extension Tensor {
    /// Checks a convolution's arguments and returns its geometry; errors name `op` and the shapes.
    static func convGeometry(op: String, input: Tensor, weight: Tensor, bias: Tensor?, stride: (Int, Int),
                             padding: (Int, Int), dilation: (Int, Int), groups: Int) throws -> ConvGeometry {
        try Tensor.checkConvArguments(op: op, input: input, weight: weight, stride: stride, padding: padding,
                                      dilation: dilation, groups: groups)
        let shape = input.shape
        let (n, cin, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let (cout, cinG, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        guard cin % groups == 0, cout % groups == 0 else {
            throw TensorError.shapeMismatch(op: op, lhs: shape, rhs: weight.shape,
                                            detail: "groups \(groups) must divide both the \(cin) input channels and the \(cout) output channels")
        }
        guard cinG * groups == cin else {
            throw TensorError.shapeMismatch(op: op, lhs: shape, rhs: weight.shape,
                                            detail: "input has \(cin) channels but the weight expects \(cinG) per group × \(groups) groups = \(cinG * groups)")
        }
        try Tensor.checkBias(op: op, bias: bias, channels: cout, weight: weight)
        let oh = ConvGeometry.outputSize(input: h, kernel: kh, stride: stride.0, padding: padding.0, dilation: dilation.0)
        let ow = ConvGeometry.outputSize(input: w, kernel: kw, stride: stride.1, padding: padding.1, dilation: dilation.1)
        guard oh > 0, ow > 0 else {
            throw TensorError.shapeMismatch(op: op, lhs: shape, rhs: weight.shape,
                                            detail: "a \(kh)×\(kw) kernel with dilation \(dilation) does not fit the padded \(h + 2 * padding.0)×\(w + 2 * padding.1) input (output would be \(oh)×\(ow))")
        }
        let g = ConvGeometry(batch: n, image: (cin, h, w), output: (cout, oh, ow), kernel: (kh, kw), stride: stride,
                             padding: padding, dilation: dilation, groups: groups)
        return g
    }

    /// 2-D convolution of NCHW images, with PyTorch's `conv2d` semantics.
    ///
    /// `self` is `[N, Cin, H, W]`, `weight` is `[Cout, Cin/groups, kh, kw]` and `bias` is
    /// `[Cout]`; the result is `[N, Cout, OH, OW]` with
    /// `OH = floor((H + 2·padding − dilation·(kh − 1) − 1)/stride) + 1` (likewise OW).
    /// Gradients flow to the input, weight and bias; only those that require grad are computed.
    public func conv2d(weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                       dilation: (Int, Int) = (1, 1), groups: Int = 1) throws -> Tensor {
        let op = "conv2d"
        let g = try Tensor.convGeometry(op: op, input: self, weight: weight, bias: bias, stride: stride, padding: padding,
                                        dilation: dilation, groups: groups)
        let (n, cout, oh, ow) = (g.batch, g.outChannels, g.outHeight, g.outWidth)
        let x = self
        let out = Tensor.build([n, cout, oh, ow]) { y in
            x.storage.withUnsafeBufferPointer { px in
                weight.storage.withUnsafeBufferPointer { pw in
                    Tensor.withOptionalPointer(bias) { pb in
                        ConvKernels.forward(g, input: px.baseAddress!, weight: pw.baseAddress!, bias: pb, output: y)
                    }
                }
            }
        }
        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return out.recorded(op, inputs) { grad, _ in
            let needBias = bias?.requiresGrad ?? false
            var dx = Tensor.uninitialized(x.requiresGrad ? x.count : 0)
            var dw = Tensor.uninitialized(weight.requiresGrad ? weight.count : 0)
            var db = Tensor.uninitialized(needBias ? cout : 0)
            x.storage.withUnsafeBufferPointer { px in
                weight.storage.withUnsafeBufferPointer { pw in
                    grad.storage.withUnsafeBufferPointer { pg in
                        dx.withUnsafeMutableBufferPointer { pdx in
                            dw.withUnsafeMutableBufferPointer { pdw in
                                db.withUnsafeMutableBufferPointer { pdb in
                                    ConvKernels.backward(g, input: px.baseAddress!, outputGrad: pg.baseAddress!,
                                                         weight: pw.baseAddress!,
                                                         inputGrad: x.requiresGrad ? pdx.baseAddress : nil,
                                                         weightGrad: weight.requiresGrad ? pdw.baseAddress : nil,
                                                         biasGrad: needBias ? pdb.baseAddress : nil)
                                }
                            }
                        }
                    }
                }
            }
            var grads: [Tensor?] = [x.requiresGrad ? Tensor(unchecked: x.shape, storage: dx) : nil,
                                    weight.requiresGrad ? Tensor(unchecked: weight.shape, storage: dw) : nil]
            if let bias { grads.append(needBias ? Tensor(unchecked: bias.shape, storage: db) : nil) }
            return grads
        }
    }

    /// Checks what `conv2d` and `convTranspose2d` share: ranks, and that stride, padding,
    /// dilation and groups are in range.
    static func checkConvArguments(op: String, input: Tensor, weight: Tensor, stride: (Int, Int), padding: (Int, Int),
                                   dilation: (Int, Int), groups: Int) throws {
        guard input.rank == 4 else {
            throw TensorError.invalidArgument(op: op, message: "input must be [N, C, H, W], got shape \(input.shape)")
        }
        guard weight.rank == 4, weight.shape[2] > 0, weight.shape[3] > 0 else {
            throw TensorError.invalidArgument(op: op, message: "weight must be 4-D with a non-empty kernel, got shape \(weight.shape)")
        }
        guard stride.0 >= 1, stride.1 >= 1 else {
            throw TensorError.invalidArgument(op: op, message: "stride \(stride) must be ≥ 1 (input \(input.shape), weight \(weight.shape))")
        }
        guard padding.0 >= 0, padding.1 >= 0 else {
            throw TensorError.invalidArgument(op: op, message: "padding \(padding) must be ≥ 0 (input \(input.shape), weight \(weight.shape))")
        }
        guard dilation.0 >= 1, dilation.1 >= 1 else {
            throw TensorError.invalidArgument(op: op, message: "dilation \(dilation) must be ≥ 1 (input \(input.shape), weight \(weight.shape))")
        }
        guard groups >= 1 else {
            throw TensorError.invalidArgument(op: op, message: "groups \(groups) must be ≥ 1 (input \(input.shape), weight \(weight.shape))")
        }
    }

    /// Checks that a bias, if any, is `[channels]`.
    static func checkBias(op: String, bias: Tensor?, channels: Int, weight: Tensor) throws {
        guard let bias, bias.shape != [channels] else { return }
        throw TensorError.shapeMismatch(op: op, lhs: weight.shape, rhs: bias.shape,
                                        detail: "bias must be [\(channels)], one value per output channel")
    }

    /// Calls `body` with the tensor's base address, or nil for no tensor.
    static func withOptionalPointer<R>(_ t: Tensor?, _ body: (UnsafePointer<Float>?) -> R) -> R {
        guard let t else { return body(nil) }
        return t.storage.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    /// Storage for `count` floats that the caller writes in full before reading.
    static func uninitialized(_ count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { _, n in n = count }
    }

    /// The gradient with respect to the weight of geometry `g`.
    static func convWeight(_ g: ConvGeometry, image: Tensor, outputGrad dy: Tensor, shape: [Int]) -> Tensor {
        Tensor.build(shape) { dw in
            image.storage.withUnsafeBufferPointer { px in
                dy.storage.withUnsafeBufferPointer { pg in
                    ConvKernels.backwardWeight(g, input: px.baseAddress!, outputGrad: pg.baseAddress!, weightGrad: dw)
                }
            }
        }
    }

    /// The gradient with respect to a per-channel bias of an NCHW output.
    static func convBias(_ dy: Tensor, shape: [Int]) -> Tensor {
        Tensor.build(shape) { db in
            dy.storage.withUnsafeBufferPointer { pg in
                ConvKernels.biasGradient(batch: dy.shape[0], channels: dy.shape[1], plane: dy.shape[2] * dy.shape[3],
                                         outputGrad: pg.baseAddress!, biasGrad: db)
            }
        }
    }
}
