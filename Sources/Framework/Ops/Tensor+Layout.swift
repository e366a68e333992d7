/// Axis rearrangements: permute, transpose, squeeze, unsqueeze, flatten.
extension Tensor {
    /// The tensor with its axes reordered: output axis i is input axis `axes[i]`.
    public func permuted(_ axes: [Int]) throws -> Tensor {
        guard axes.count == rank else {
            throw TensorError.invalidArgument(op: "permute", message: "\(axes.count) axes \(axes) given for a tensor of shape \(shape)")
        }
        let norm = try axes.map { try Shape.axis($0, rank: rank, op: "permute") }
        guard Set(norm).count == rank else {
            throw TensorError.invalidArgument(op: "permute", message: "axes \(axes) are not a permutation of 0..<\(rank) (shape \(shape))")
        }
        if norm == Array(0..<rank) { return self }
        let inStrides = Shape.strides(shape)
        let outShape = norm.map { shape[$0] }
        let out = Strided.gather(storage, shape: outShape, base: 0, strides: norm.map { inStrides[$0] })
        var inverse = [Int](repeating: 0, count: rank)
        for (i, a) in norm.enumerated() { inverse[a] = i }
        return Tensor(unchecked: outShape, storage: out).recorded("permute", [self]) { g, _ in
            [try g.permuted(inverse)]
        }
    }

    /// Swaps the last two axes (batched matrix transpose).
    public func transposed() throws -> Tensor {
        guard rank >= 2 else {
            throw TensorError.invalidArgument(op: "transpose", message: "needs rank ≥ 2, got shape \(shape)")
        }
        var axes = Array(0..<rank)
        axes.swapAt(rank - 2, rank - 1)
        return try permuted(axes)
    }

    /// Removes axis `axis`, which must have size 1.
    public func squeezed(axis: Int) throws -> Tensor {
        let ax = try Shape.axis(axis, rank: rank, op: "squeeze")
        guard shape[ax] == 1 else {
            throw TensorError.invalidArgument(op: "squeeze", message: "axis \(axis) has size \(shape[ax]), not 1, in shape \(shape)")
        }
        var s = shape
        s.remove(at: ax)
        return try reshaped(s)
    }

    /// Inserts a size-1 axis so that it becomes axis `axis` of the result (−1 appends).
    public func unsqueezed(axis: Int) throws -> Tensor {
        let ax = try Shape.axis(axis, rank: rank + 1, op: "unsqueeze")
        var s = shape
        s.insert(1, at: ax)
        return try reshaped(s)
    }

    /// Merges axes `from` … last into one (`from: 1` turns [N, C, H, W] into [N, C·H·W]).
    public func flattened(from: Int = 1) throws -> Tensor {
        if rank == 0 { return try reshaped([1]) }
        let ax = try Shape.axis(from, rank: rank, op: "flatten")
        return try reshaped(Array(shape[..<ax]) + [Shape.count(Array(shape[ax...]))!])
    }
}
