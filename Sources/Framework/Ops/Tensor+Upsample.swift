extension Tensor {
    /// Resizes NCHW images to `size` by nearest neighbour (PyTorch's `mode='nearest'`):
    /// output row `i` copies input row `floor(i·H/OH)`, likewise columns. Shrinks as well
    /// as enlarges.
    public func upsampleNearest(size: (Int, Int)) throws -> Tensor {
        let (h, w) = try checkResize(op: "upsampleNearest", size: size)
        let rows = Resample.nearest(input: h, output: size.0), cols = Resample.nearest(input: w, output: size.1)
        let planes = shape[0] * shape[1]
        return resized(name: "upsampleNearest", size: size, forward: { x, y in
            Resample.nearestForward(planes: planes, height: h, width: w, rows: rows, cols: cols, input: x, output: y)
        }, backward: { dy, dx in
            Resample.nearestBackward(planes: planes, height: h, width: w, rows: rows, cols: cols, outputGrad: dy, inputGrad: dx)
        })
    }

    /// Resizes NCHW images to `size` by bilinear interpolation (PyTorch's
    /// `mode='bilinear'`): with `alignCorners` the corner pixels of input and output coincide;
    /// without it pixel centres are mapped (`src = (dst + ½)·in/out − ½`, clamped at 0).
    public func upsampleBilinear(size: (Int, Int), alignCorners: Bool = false) throws -> Tensor {
        let (h, w) = try checkResize(op: "upsampleBilinear", size: size)
        let rows = Resample.linear(input: h, output: size.0, alignCorners: alignCorners)
        let cols = Resample.linear(input: w, output: size.1, alignCorners: alignCorners)
        let planes = shape[0] * shape[1]
        return resized(name: "upsampleBilinear", size: size, forward: { x, y in
            Resample.bilinear(planes: planes, height: h, width: w, rows: rows, cols: cols, adjoint: false, source: x, target: y)
        }, backward: { dy, dx in
            Resample.bilinear(planes: planes, height: h, width: w, rows: rows, cols: cols, adjoint: true, source: dy, target: dx)
        })
    }

    /// Runs a resize kernel into a new `[N, C, size]` tensor and records its adjoint, which
    /// accumulates into a cleared input-shaped gradient.
    func resized(name: String, size: (Int, Int),
                 forward: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void,
                 backward: @escaping (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> Tensor {
        let x = self
        let out = Tensor.build([shape[0], shape[1], size.0, size.1]) { y in
            x.storage.withUnsafeBufferPointer { forward($0.baseAddress!, y) }
        }
        return out.recorded(name, [x]) { grad, _ in
            var dx = [Float](repeating: 0, count: x.count)
            grad.storage.withUnsafeBufferPointer { pg in
                dx.withUnsafeMutableBufferPointer { backward(pg.baseAddress!, $0.baseAddress!) }
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
