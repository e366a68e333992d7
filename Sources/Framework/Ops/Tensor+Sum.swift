extension Tensor {
    /// Sum over `axes` (all axes when empty), keeping reduced axes as size 1 if `keepDims`.
    public func sum(axes: [Int] = [], keepDims: Bool = false) throws -> Tensor {
        let norm = try Set(axes.isEmpty ? Array(0..<rank) : axes.map { try Shape.axis($0, rank: rank, op: "sum") })
        var kept = shape
        var cur = storage
        // Reduce one axis at a time, highest first, each as [outer, r, inner] → [outer, inner].
        for ax in norm.sorted(by: >) {
            let outer = Shape.count(Array(kept[..<ax]))!
            let r = kept[ax]
            let inner = Shape.count(Array(kept[(ax + 1)...]))!
            cur = Tensor.reduceAxis(cur, outer: outer, r: r, inner: inner)
            kept[ax] = 1
        }
        let outShape = keepDims ? kept : shape.enumerated().filter { !norm.contains($0.offset) }.map(\.element)
        let inShape = shape
        return Tensor(unchecked: outShape, storage: cur).recorded("sum", [self]) { g, _ in
            [try Tensor(unchecked: kept, storage: g.storage).expanded(to: inShape)]
        }
    }

    /// Sums the middle axis of a [outer, r, inner] layout.
    static func reduceAxis(_ x: [Float], outer: Int, r: Int, inner: Int) -> [Float] {
        var out = [Float](repeating: 0, count: outer * inner)
        x.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                if inner == 1 {
                    for i in 0..<outer {
                        var s: Float = 0
                        let base = i &* r
                        for j in 0..<r { s += p[base &+ j] }
                        o[i] = s
                    }
                } else {
                    for i in 0..<outer {
                        let ob = i &* inner
                        for j in 0..<r {
                            let ib = (i &* r &+ j) &* inner
                            for k in 0..<inner { o[ob &+ k] += p[ib &+ k] }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Broadcasts to a larger shape by repeating along size-1 (or missing leading) axes.
    public func expanded(to target: [Int]) throws -> Tensor {
        if shape == target { return self }
        let b = try Shape.broadcast(shape, target, op: "expand")
        guard b == target else {
            throw TensorError.shapeMismatch(op: "expand", lhs: shape, rhs: target, detail: "cannot broadcast to the target")
        }
        let zero = Tensor(unchecked: target, storage: [Float](repeating: 0, count: Shape.count(target)!))
        let source = shape
        return try Tensor.binary(.add, self, zero, name: "expand").recorded("expand", [self]) { g, _ in
            [try g.sumToShape(source)]
        }
    }
}
