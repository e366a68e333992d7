extension Tensor {
    /// Resizes NCHW images to `size` by nearest neighbour (PyTorch's `mode='nearest'`):
    /// output row `i` copies input row `floor(i·H/OH)`, likewise columns. Shrinks as well
    /// as enlarges.
    public func upsampleNearest(size: (Int, Int)) throws -> Tensor {
        let (h, w) = try checkResize(op: "upsampleNearest", size: size)
        let rows = Resample.nearest(input: h, output: size.0), cols = Resample.nearest(input: w, output: size.1)
        let x = self, planes = shape[0] * shape[1]
        let out = Tensor.build([shape[0], shape[1], size.0, size.1]) { y in
            x.storage.withUnsafeBufferPointer { px in
                Resample.nearestForward(planes: planes, height: h, width: w, rows: rows, cols: cols,
                                        input: px.baseAddress!, output: y)
            }
        }
        return out.recorded("upsampleNearest", [x]) { grad, _ in
            var dx = [Float](repeating: 0, count: x.count)
            grad.storage.withUnsafeBufferPointer { pg in
                dx.withUnsafeMutableBufferPointer { pd in
                    Resample.nearestBackward(planes: planes, height: h, width: w, rows: rows, cols: cols,
                                             outputGrad: pg.baseAddress!, inputGrad: pd.baseAddress!)
                }
            }
            return [Tensor(unchecked: x.shape, storage: dx)]
        }
    }

    /// Resizes NCHW images to `size` by bilinear interpolation (PyTorch's
    /// `mode='bilinear'`): with `alignCorners` the corner pixels of input and output coincide;
    /// without it pixel centres are mapped (`src = (dst + ½)·in/out − ½`, clamped at 0).
    public func upsampleBilinear(size: (Int, Int), alignCorners: Bool = false) throws -> Tensor {
        let (h, w) = try checkResize(op: "upsampleBilinear", size: size)
        let rows = Resample.linear(input: h, output: size.0, alignCorners: alignCorners)
        let cols = Resample.linear(input: w, output: size.1, alignCorners: alignCorners)
        let x = self, planes = shape[0] * shape[1]
        let out = Tensor.build([shape[0], shape[1], size.0, size.1]) { y in
            x.storage.withUnsafeBufferPointer { px in
                Resample.bilinearForward(planes: planes, height: h, width: w, rows: rows, cols: cols,
                                         input: px.baseAddress!, output: y)
            }
        }
        return out.recorded("upsampleBilinear", [x]) { grad, _ in
            var dx = [Float](repeating: 0, count: x.count)
            grad.storage.withUnsafeBufferPointer { pg in
                dx.withUnsafeMutableBufferPointer { pd in
                    Resample.bilinearBackward(planes: planes, height: h, width: w, rows: rows, cols: cols,
                                              outputGrad: pg.baseAddress!, inputGrad: pd.baseAddress!)
                }
            }
            return [Tensor(unchecked: x.shape, storage: dx)]
        }
    }

    /// Checks a resize of an NCHW batch and returns the input's height and width.
    func checkResize(op: String, size: (Int, Int)) throws -> (Int, Int) {
        try checkImages(op: op)
        guard size.0 > 0, size.1 > 0 else {
            throw TensorError.invalidArgument(op: op, message: "output size \(size) must be positive (input \(shape))")
        }
        guard shape[2] > 0, shape[3] > 0 else {
            throw TensorError.invalidArgument(op: op, message: "input \(shape) has an empty plane")
        }
        return (shape[2], shape[3])
    }
}
