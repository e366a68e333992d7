/// Taking parts of tensors and putting them together: slice, pad, concat, gather.
extension Tensor {
    /// Elements `start..<end` by `step` along `axis`, like Python's `x[start:end:step]`:
    /// negative bounds count from the end and bounds are clamped to the axis.
    public func sliced(axis: Int, start: Int, end: Int, step: Int = 1) throws -> Tensor {
        let ax = try Shape.axis(axis, rank: rank, op: "slice")
        guard step >= 1 else {
            throw TensorError.invalidArgument(op: "slice", message: "step must be ≥ 1, got \(step) (shape \(shape), axis \(axis))")
        }
        let dim = shape[ax]
        func clamp(_ i: Int) -> Int { Swift.min(Swift.max(i < 0 ? i + dim : i, 0), dim) }
        let lo = clamp(start), hi = clamp(end)
        let len = hi > lo ? (hi - lo + step - 1) / step : 0
        var outShape = shape
        outShape[ax] = len
        var strides = Shape.strides(shape)
        let base = lo * strides[ax]
        strides[ax] *= step
        let inShape = shape, n = count
        let out = Strided.gather(storage, shape: outShape, base: base, strides: strides)
        return Tensor(unchecked: outShape, storage: out).recorded("slice", [self]) { g, _ in
            var gin = [Float](repeating: 0, count: n)
            Strided.scatter(g.storage, into: &gin, shape: outShape, base: base, strides: strides)
            return [Tensor(unchecked: inShape, storage: gin)]
        }
    }

    /// Pads every axis with `value`: `pads[d]` elements before and after along axis d (one
    /// pair per axis, constant mode).
    public func padded(_ pads: [(before: Int, after: Int)], value: Float = 0) throws -> Tensor {
        guard pads.count == rank else {
            throw TensorError.invalidArgument(op: "pad", message: "\(pads.count) pad pairs given for a tensor of shape \(shape); need one per axis")
        }
        if let bad = pads.firstIndex(where: { $0.before < 0 || $0.after < 0 }) {
            throw TensorError.invalidArgument(op: "pad", message: "pads on axis \(bad) are \(pads[bad]); they must be ≥ 0")
        }
        let outShape = zip(shape, pads).map { $0 + $1.before + $1.after }
        guard let n = Shape.count(outShape) else { throw TensorError.invalidShape(outShape) }
        let outStrides = Shape.strides(outShape)
        let base = zip(pads, outStrides).reduce(0) { $0 + $1.0.before * $1.1 }
        var out = [Float](repeating: value, count: n)
        Strided.scatter(storage, into: &out, shape: shape, base: base, strides: outStrides)
        let inShape = shape
        return Tensor(unchecked: outShape, storage: out).recorded("pad", [self]) { g, _ in
            [Tensor(unchecked: inShape, storage: Strided.gather(g.storage, shape: inShape, base: base, strides: outStrides))]
        }
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    public static func concat(_ ts: [Tensor], axis: Int) throws -> Tensor {
        guard let first = ts.first else {
            throw TensorError.invalidArgument(op: "concat", message: "no tensors given")
        }
        let ax = try Shape.axis(axis, rank: first.rank, op: "concat")
        for t in ts.dropFirst() {
            let agrees = t.rank == first.rank && (0..<first.rank).allSatisfy { $0 == ax || t.shape[$0] == first.shape[$0] }
            guard agrees else {
                throw TensorError.shapeMismatch(op: "concat", lhs: first.shape, rhs: t.shape,
                                                detail: "all dimensions but axis \(axis) must agree")
            }
        }
        var outShape = first.shape
        outShape[ax] = ts.reduce(0) { $0 + $1.shape[ax] }
        guard let n = Shape.count(outShape) else { throw TensorError.invalidShape(outShape) }
        let outStrides = Shape.strides(outShape)
        var bases: [Int] = []
        var offset = 0
        var out = [Float](repeating: 0, count: n)
        for t in ts {
            bases.append(offset * outStrides[ax])
            Strided.scatter(t.storage, into: &out, shape: t.shape, base: bases.last!, strides: outStrides)
            offset += t.shape[ax]
        }
        return Tensor(unchecked: outShape, storage: out).recorded("concat", ts) { g, _ in
            zip(ts, bases).map { t, base in
                t.requiresGrad
                    ? Tensor(unchecked: t.shape, storage: Strided.gather(g.storage, shape: t.shape, base: base, strides: outStrides))
                    : nil
            }
        }
    }

    /// The slices at `indices` along `axis`, in that order (PyTorch's `index_select`);
    /// indices may repeat, and their gradients then add up.
    public func gather(axis: Int, indices: [Int]) throws -> Tensor {
        let ax = try Shape.axis(axis, rank: rank, op: "gather")
        let r = shape[ax]
        if let bad = indices.firstIndex(where: { $0 < 0 || $0 >= r }) {
            throw TensorError.invalidArgument(op: "gather", message: "index \(indices[bad]) at position \(bad) is out of range 0..<\(r) for axis \(axis) of shape \(shape)")
        }
        let outer = Shape.count(Array(shape[..<ax]))!
        let inner = Shape.count(Array(shape[(ax + 1)...]))!
        let m = indices.count
        var outShape = shape
        outShape[ax] = m
        var out = [Float](repeating: 0, count: outer * m * inner)
        storage.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<outer {
                    for (j, src) in indices.enumerated() {
                        let from = (i &* r &+ src) &* inner, to = (i &* m &+ j) &* inner
                        for k in 0..<inner { o[to &+ k] = p[from &+ k] }
                    }
                }
            }
        }
        let inShape = shape, n = count
        return Tensor(unchecked: outShape, storage: out).recorded("gather", [self]) { g, _ in
            var gin = [Float](repeating: 0, count: n)
            g.storage.withUnsafeBufferPointer { pg in
                gin.withUnsafeMutableBufferPointer { pi in
                    for i in 0..<outer {
                        for (j, dst) in indices.enumerated() {
                            let from = (i &* m &+ j) &* inner, to = (i &* r &+ dst) &* inner
                            for k in 0..<inner { pi[to &+ k] += pg[from &+ k] }
                        }
                    }
                }
            }
            return [Tensor(unchecked: inShape, storage: gin)]
        }
    }
}
