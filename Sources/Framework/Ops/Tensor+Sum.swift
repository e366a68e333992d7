extension Tensor {
    /// Sum over `axes` (all axes when empty), keeping reduced axes as size 1 if `keepDims`.
    public func sum(axes: [Int] = [], keepDims: Bool = false) throws -> Tensor {
        let norm = try Set(axes.isEmpty ? Array(0..<rank) : axes.map { try Shape.axis($0, rank: rank, op: "sum") })
        var kept = shape
        var cur = storage
        // Reduce each run of adjacent axes as one, highest first, as [outer, r, inner] →
        // [outer, inner]: a global pool over (H, W) is one pass over contiguous planes.
        var runs: [ClosedRange<Int>] = []
        for ax in norm.sorted(by: >) {
            if let last = runs.last, last.lowerBound == ax + 1 {
                runs[runs.count - 1] = ax...last.upperBound
            } else {
                runs.append(ax...ax)
            }
        }
        for run in runs {
            let outer = Shape.count(Array(kept[..<run.lowerBound]))!
            let r = Shape.count(Array(kept[run]))!
            let inner = Shape.count(Array(kept[(run.upperBound + 1)...]))!
            cur = Tensor.reduceAxis(cur, outer: outer, r: r, inner: inner)
            for ax in run { kept[ax] = 1 }
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
                if outer &* r == 0 {
                    return
                } else if inner == 1 {
                    let src = p.baseAddress!, dst = o.baseAddress!
                    Parallel.chunks(outer, minChunk: Swift.max(1, 16384 / Swift.max(1, r))) { start, end in
                        for i in start..<end { dst[i] = FloatVector.sum(src + i &* r, count: r) }
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
