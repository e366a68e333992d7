/// Reductions beyond `sum`: mean, max, min, variance and argmax.
extension Tensor {
    /// Mean over `axes` (all axes when empty). An empty reduction gives NaN, as in PyTorch.
    public func mean(axes: [Int] = [], keepDims: Bool = false) throws -> Tensor {
        let reduced = try reductionAxes(axes, op: "mean")
        let n = reduced.reduce(1) { $0 * shape[$1] }
        return try sum(axes: axes, keepDims: keepDims) * (1 / Float(n))
    }

    /// Variance over `axes` (all when empty): the mean squared deviation, or divided by
    /// n − 1 when `unbiased` (Bessel's correction, PyTorch's `correction=1`).
    public func variance(axes: [Int] = [], keepDims: Bool = false, unbiased: Bool = false) throws -> Tensor {
        let reduced = try reductionAxes(axes, op: "variance")
        let n = reduced.reduce(1) { $0 * shape[$1] }
        let deviation = try self - mean(axes: axes, keepDims: true)
        let divisor = Float(unbiased ? n - 1 : n)
        return try deviation.square().sum(axes: axes, keepDims: keepDims) * (1 / divisor)
    }

    /// Maximum over `axes` (all when empty). The gradient goes to the first maximal element
    /// in row-major order; NaN wins, as in PyTorch.
    public func max(axes: [Int] = [], keepDims: Bool = false) throws -> Tensor {
        try extreme(axes: axes, keepDims: keepDims, largest: true, op: "max")
    }

    /// Minimum over `axes` (all when empty); ties and NaN as in `max`.
    public func min(axes: [Int] = [], keepDims: Bool = false) throws -> Tensor {
        try extreme(axes: axes, keepDims: keepDims, largest: false, op: "min")
    }

    /// For every position of the other axes (row-major), the index along `axis` of the
    /// largest element; the first one on ties. Not differentiable.
    public func argmax(axis: Int) throws -> [Int] {
        let ax = try Shape.axis(axis, rank: rank, op: "argmax")
        let (_, _, flat) = try extremeIndices(Set([ax]), largest: true, op: "argmax")
        let r = shape[ax]
        let inner = Shape.count(Array(shape[(ax + 1)...]))!
        return flat.map { ($0 / inner) % r }
    }

    /// Normalised reduction axes; empty means all.
    func reductionAxes(_ axes: [Int], op: String) throws -> Set<Int> {
        try Set(axes.isEmpty ? Array(0..<rank) : axes.map { try Shape.axis($0, rank: rank, op: op) })
    }

    private func extreme(axes: [Int], keepDims: Bool, largest: Bool, op: String) throws -> Tensor {
        let reduced = try reductionAxes(axes, op: op)
        let (kept, values, flat) = try extremeIndices(reduced, largest: largest, op: op)
        let outShape = keepDims ? kept : shape.enumerated().filter { !reduced.contains($0.offset) }.map(\.element)
        let inShape = shape, n = count
        return Tensor(unchecked: outShape, storage: values).recorded(op, [self]) { g, _ in
            // Dropping size-1 axes does not reorder elements, so g lines up with `flat`.
            var gin = [Float](repeating: 0, count: n)
            g.storage.withUnsafeBufferPointer { pg in
                gin.withUnsafeMutableBufferPointer { pi in
                    for (j, i) in flat.enumerated() { pi[i] += pg[j] }
                }
            }
            return [Tensor(unchecked: inShape, storage: gin)]
        }
    }

    /// The extreme value over `reduced` axes and its flat input index, for every output
    /// position; `kept` is the shape with reduced axes set to 1.
    private func extremeIndices(_ reduced: Set<Int>, largest: Bool, op: String)
        throws -> (kept: [Int], values: [Float], indices: [Int])
    {
        for ax in reduced where shape[ax] == 0 {
            throw TensorError.invalidArgument(op: op, message: "cannot reduce axis \(ax) of size 0 in a tensor of shape \(shape)")
        }
        var kept = shape
        for ax in reduced { kept[ax] = 1 }
        let outCount = Shape.count(kept)!
        let keptStrides = Shape.strides(kept)
        // How far the output offset moves when input axis d steps by one: 0 if d is reduced.
        let step = (0..<rank).map { reduced.contains($0) ? 0 : keptStrides[$0] }
        var values = [Float](repeating: 0, count: outCount)
        var indices = [Int](repeating: -1, count: outCount)
        storage.withUnsafeBufferPointer { p in
            values.withUnsafeMutableBufferPointer { v in
                indices.withUnsafeMutableBufferPointer { ix in
                    // Walk the input densely; the walk's view offset is the output position.
                    Strided.walk(shape: shape, base: 0, strides: step) { dense, offset, len, inner in
                        var o = offset
                        for i in dense..<(dense &+ len) {
                            let x = p[i]
                            if ix[o] < 0 {
                                v[o] = x; ix[o] = i
                            } else {
                                let best = v[o]
                                let better = largest ? x > best : x < best
                                if better || (x.isNaN && !best.isNaN) { v[o] = x; ix[o] = i }
                            }
                            o &+= inner
                        }
                    }
                }
            }
        }
        return (kept, values, indices)
    }
}
