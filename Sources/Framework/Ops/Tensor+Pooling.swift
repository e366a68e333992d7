extension Tensor {
    /// Max pooling of NCHW images (PyTorch's `max_pool2d`, no dilation or ceil mode).
    ///
    /// Padding counts as −∞; `stride` defaults to `kernel`. The gradient goes to the first
    /// maximum of each window in row-major order.
    public func maxPool2d(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) throws -> Tensor {
        let windows = try slidingWindows(op: "maxPool2d", kernel: kernel, stride: stride ?? kernel, padding: padding,
                                         countPadding: false)
        let x = self
        let planes = shape[0] * shape[1], outShape = [shape[0], shape[1], windows.outHeight, windows.outWidth]
        let keepArgmax = GradMode.isEnabled && requiresGrad
        var argmax = [Int32](repeating: 0, count: keepArgmax ? planes * windows.outHeight * windows.outWidth : 0)
        let out = Tensor.build(outShape) { y in
            x.storage.withUnsafeBufferPointer { px in
                argmax.withUnsafeMutableBufferPointer { pa in
                    windows.maxForward(planes: planes, input: px.baseAddress!, output: y,
                                       argmax: keepArgmax ? pa.baseAddress : nil)
                }
            }
        }
        let indices = argmax
        return out.recorded("maxPool2d", [x]) { grad, _ in
            var dx = [Float](repeating: 0, count: x.count)
            grad.storage.withUnsafeBufferPointer { pg in
                indices.withUnsafeBufferPointer { pa in
                    dx.withUnsafeMutableBufferPointer { pd in
                        windows.maxBackward(planes: planes, outputGrad: pg.baseAddress!, argmax: pa.baseAddress!,
                                            inputGrad: pd.baseAddress!)
                    }
                }
            }
            return [Tensor(unchecked: x.shape, storage: dx)]
        }
    }

    /// Average pooling of NCHW images (PyTorch's `avg_pool2d`, no ceil mode).
    ///
    /// With `countIncludePad` the divisor counts padded positions (up to the padded edge);
    /// without it, only the pixels inside the image. `stride` defaults to `kernel`.
    public func avgPool2d(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                          countIncludePad: Bool = true) throws -> Tensor {
        let windows = try slidingWindows(op: "avgPool2d", kernel: kernel, stride: stride ?? kernel, padding: padding,
                                         countPadding: countIncludePad)
        return averagePooled(windows, name: "avgPool2d")
    }

    /// Adaptive average pooling to `outputSize` (PyTorch's `adaptive_avg_pool2d`): output
    /// row `i` averages input rows `floor(i·H/OH)..<ceil((i+1)·H/OH)`, likewise columns.
    public func adaptiveAvgPool2d(outputSize: (Int, Int)) throws -> Tensor {
        try checkImages(op: "adaptiveAvgPool2d")
        guard outputSize.0 > 0, outputSize.1 > 0 else {
            throw TensorError.invalidArgument(op: "adaptiveAvgPool2d", message: "output size \(outputSize) must be positive (input \(shape))")
        }
        let (h, w) = (shape[2], shape[3])
        guard h > 0, w > 0 else {
            throw TensorError.invalidArgument(op: "adaptiveAvgPool2d", message: "input \(shape) has an empty plane")
        }
        let windows = PoolWindows(height: h, width: w, rows: PoolWindows.adaptive(size: h, out: outputSize.0),
                                  columns: PoolWindows.adaptive(size: w, out: outputSize.1))
        return averagePooled(windows, name: "adaptiveAvgPool2d")
    }

    /// The mean of each channel's plane: `[N, C, H, W] → [N, C]`, the head of most CNNs.
    ///
    /// Not throwing, so that it reads as the one-liner it is; a tensor that is not rank 4
    /// is a programming error and stops with its shape.
    public func globalAvgPool() -> Tensor {
        precondition(rank == 4, "globalAvgPool: input must be [N, C, H, W], got shape \(shape)")
        let planes = shape[0] * shape[1], plane = shape[2] * shape[3]
        let x = self, scale = 1 / Float(plane)
        let out = Tensor.build([shape[0], shape[1]]) { y in
            x.storage.withUnsafeBufferPointer { px in
                Parallel.planes(planes, elementsPerPlane: plane) { p in
                    y[p] = FloatVector.sum(px.baseAddress! + p &* plane, count: plane) * scale
                }
            }
        }
        return out.recorded("globalAvgPool", [x]) { grad, _ in
            [Tensor.build(x.shape) { dx in
                grad.storage.withUnsafeBufferPointer { pg in
                    Parallel.planes(planes, elementsPerPlane: plane) { p in
                        (dx + p &* plane).update(repeating: pg[p] * scale, count: plane)
                    }
                }
            }]
        }
    }

    /// Throws unless `self` is a rank-4 NCHW batch.
    func checkImages(op: String) throws {
        guard rank == 4 else {
            throw TensorError.invalidArgument(op: op, message: "input must be [N, C, H, W], got shape \(shape)")
        }
    }

    /// Validates a sliding-window pooling and builds its windows.
    func slidingWindows(op: String, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int),
                        countPadding: Bool) throws -> PoolWindows {
        try checkImages(op: op)
        let (h, w) = (shape[2], shape[3])
        guard kernel.0 >= 1, kernel.1 >= 1, stride.0 >= 1, stride.1 >= 1 else {
            throw TensorError.invalidArgument(op: op, message: "kernel \(kernel) and stride \(stride) must be ≥ 1 (input \(shape))")
        }
        guard padding.0 >= 0, padding.1 >= 0, padding.0 <= kernel.0 / 2, padding.1 <= kernel.1 / 2 else {
            throw TensorError.invalidArgument(op: op, message: "padding \(padding) must be between 0 and half the kernel \(kernel) (input \(shape))")
        }
        guard h + 2 * padding.0 >= kernel.0, w + 2 * padding.1 >= kernel.1 else {
            throw TensorError.invalidArgument(op: op, message: "kernel \(kernel) is larger than the padded \(h + 2 * padding.0)×\(w + 2 * padding.1) input (input \(shape))")
        }
        return PoolWindows(
            height: h, width: w,
            rows: PoolWindows.sliding(size: h, kernel: kernel.0, stride: stride.0, padding: padding.0, countPadding: countPadding),
            columns: PoolWindows.sliding(size: w, kernel: kernel.1, stride: stride.1, padding: padding.1, countPadding: countPadding))
    }

    /// Averages over `windows`, recording the spreading backward pass.
    func averagePooled(_ windows: PoolWindows, name: String) -> Tensor {
        let x = self
        let planes = shape[0] * shape[1]
        let out = Tensor.build([shape[0], shape[1], windows.outHeight, windows.outWidth]) { y in
            x.storage.withUnsafeBufferPointer { px in
                windows.averageForward(planes: planes, input: px.baseAddress!, output: y)
            }
        }
        return out.recorded(name, [x]) { grad, _ in
            var dx = [Float](repeating: 0, count: x.count)
            grad.storage.withUnsafeBufferPointer { pg in
                dx.withUnsafeMutableBufferPointer { pd in
                    windows.averageBackward(planes: planes, outputGrad: pg.baseAddress!, inputGrad: pd.baseAddress!)
                }
            }
            return [Tensor(unchecked: x.shape, storage: dx)]
        }
    }
}
