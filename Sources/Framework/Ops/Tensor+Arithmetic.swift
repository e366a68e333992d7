/// Broadcasting element-wise arithmetic: +, −, ×, ÷ with NumPy broadcasting.
extension Tensor {
    /// The kind of binary element-wise op; one kernel serves all four.
    enum BinaryOp { case add, sub, mul, div }

    /// Applies `op` with broadcasting.
    ///
    /// Axes that both operands walk the same way are merged first, so that the innermost
    /// loop is as long as possible and is unit-stride or broadcasts one value: an
    /// [N, C, H, W] × [N, C, 1, 1] product (squeeze-excite's gate) becomes N·C rows of H·W
    /// times one scalar, not N·C·H rows of W strided loads. Rows run in parallel chunks.
    static func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, name: String) throws -> Tensor {
        let outShape = try Shape.broadcast(a.shape, b.shape, op: name)
        let n = Shape.count(outShape)!
        let (dims, sa, sb) = coalesced(outShape, broadcastStrides(a.shape, to: outShape),
                                       broadcastStrides(b.shape, to: outShape))
        let inner = dims.last!, ia = sa.last!, ib = sb.last!
        let rows = inner > 0 ? n / inner : 0
        let out = [Float](unsafeUninitializedCapacity: n) { po, initialized in
            a.storage.withUnsafeBufferPointer { pa in
                b.storage.withUnsafeBufferPointer { pb in
                    guard rows > 0, let x = pa.baseAddress, let y = pb.baseAddress, let o = po.baseAddress else { return }
                    if dims.count == 1 {
                        // One long row (equal shapes, or a scalar operand): split the row.
                        Parallel.chunks(inner, minChunk: pointwiseMinChunk) { start, end in
                            row(op, x + start &* ia, ia, y + start &* ib, ib, o + start, end - start)
                        }
                        return
                    }
                    Parallel.chunks(rows, minChunk: Swift.max(1, pointwiseMinChunk / inner)) { start, end in
                        // An odometer over the outer axes, started at row `start`.
                        let outer = dims.count - 1
                        var index = [Int](repeating: 0, count: outer)
                        var offA = 0, offB = 0, rest = start
                        for d in stride(from: outer - 1, through: 0, by: -1) {
                            index[d] = rest % dims[d]
                            rest /= dims[d]
                            offA += index[d] * sa[d]
                            offB += index[d] * sb[d]
                        }
                        for r in start..<end {
                            row(op, x + offA, ia, y + offB, ib, o + r &* inner, inner)
                            var d = outer - 1
                            while d >= 0 {
                                index[d] += 1
                                offA += sa[d]; offB += sb[d]
                                if index[d] < dims[d] { break }
                                offA -= sa[d] * dims[d]; offB -= sb[d] * dims[d]
                                index[d] = 0
                                d -= 1
                            }
                        }
                    }
                }
            }
            initialized = n
        }
        return Tensor(unchecked: outShape, storage: out)
    }

    /// One output row of `count` elements, `op(x[j·ix], y[j·iy])`.
    @inline(__always)
    static func row(_ op: BinaryOp, _ x: UnsafePointer<Float>, _ ix: Int, _ y: UnsafePointer<Float>, _ iy: Int,
                    _ o: UnsafeMutablePointer<Float>, _ count: Int) {
        switch op {
        case .add: row(x, ix, y, iy, o, count) { $0 + $1 }
        case .sub: row(x, ix, y, iy, o, count) { $0 - $1 }
        case .mul: row(x, ix, y, iy, o, count) { $0 * $1 }
        case .div: row(x, ix, y, iy, o, count) { $0 / $1 }
        }
    }

    /// `row` for one function, with the common stride pairs as their own (vectorisable)
    /// loops.
    @inline(__always)
    static func row(_ x: UnsafePointer<Float>, _ ix: Int, _ y: UnsafePointer<Float>, _ iy: Int,
                    _ o: UnsafeMutablePointer<Float>, _ count: Int, _ f: (Float, Float) -> Float) {
        switch (ix, iy) {
        case (1, 1): for j in 0..<count { o[j] = f(x[j], y[j]) }
        case (1, 0): let v = y[0]; for j in 0..<count { o[j] = f(x[j], v) }
        case (0, 1): let v = x[0]; for j in 0..<count { o[j] = f(v, y[j]) }
        default: for j in 0..<count { o[j] = f(x[j &* ix], y[j &* iy]) }
        }
    }

    /// `shape` with adjacent axes merged wherever both stride lists allow it (axis d folds
    /// into d + 1 when each operand's stride on d is its stride on d + 1 times that axis's
    /// length), and with at least one axis.
    static func coalesced(_ shape: [Int], _ sa: [Int], _ sb: [Int]) -> (dims: [Int], sa: [Int], sb: [Int]) {
        var dims: [Int] = [], ra: [Int] = [], rb: [Int] = []
        for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] != 1 {
            if let last = dims.last, sa[d] == ra.last! * last, sb[d] == rb.last! * last {
                dims[dims.count - 1] *= shape[d]
            } else {
                dims.append(shape[d]); ra.append(sa[d]); rb.append(sb[d])
            }
        }
        if dims.isEmpty { return ([1], [0], [0]) }
        return (dims.reversed(), ra.reversed(), rb.reversed())
    }

    /// Strides of `shape` viewed in the broadcast shape `to` (0 along broadcast axes).
    static func broadcastStrides(_ shape: [Int], to: [Int]) -> [Int] {
        let s = Shape.strides(shape)
        let pad = to.count - shape.count
        return (0..<to.count).map { i in
            i < pad ? 0 : (shape[i - pad] == 1 && to[i] != 1 ? 0 : s[i - pad])
        }
    }

    /// Sums a gradient of the broadcast shape back to `shape`.
    public func sumToShape(_ shape: [Int]) throws -> Tensor {
        if self.shape == shape { return self }
        let pad = self.shape.count - shape.count
        guard pad >= 0 else {
            throw TensorError.shapeMismatch(op: "sumToShape", lhs: self.shape, rhs: shape)
        }
        var axes: [Int] = Array(0..<pad)
        for i in 0..<shape.count where shape[i] == 1 && self.shape[i + pad] != 1 { axes.append(i + pad) }
        let reduced = try sum(axes: axes, keepDims: true)
        return try reduced.reshaped(shape)
    }

    public static func + (a: Tensor, b: Tensor) throws -> Tensor {
        try binary(.add, a, b, name: "add").recorded("add", [a, b]) { g, _ in
            [try g.sumToShape(a.shape), try g.sumToShape(b.shape)]
        }
    }

    public static func - (a: Tensor, b: Tensor) throws -> Tensor {
        try binary(.sub, a, b, name: "sub").recorded("sub", [a, b]) { g, _ in
            [try g.sumToShape(a.shape), try (-g).sumToShape(b.shape)]
        }
    }

    public static func * (a: Tensor, b: Tensor) throws -> Tensor {
        try binary(.mul, a, b, name: "mul").recorded("mul", [a, b]) { g, _ in
            [a.requiresGrad ? try (g * b).sumToShape(a.shape) : nil,
             b.requiresGrad ? try (g * a).sumToShape(b.shape) : nil]
        }
    }

    public static func / (a: Tensor, b: Tensor) throws -> Tensor {
        try binary(.div, a, b, name: "div").recorded("div", [a, b]) { g, out in
            [a.requiresGrad ? try (g / b).sumToShape(a.shape) : nil,
             b.requiresGrad ? try (-(g * out) / b).sumToShape(b.shape) : nil]
        }
    }

    public static prefix func - (a: Tensor) -> Tensor {
        a.map { -$0 }.recorded("neg", [a]) { g, _ in [-g] }
    }

    public static func + (a: Tensor, s: Float) -> Tensor {
        a.map { $0 + s }.recorded("add-scalar", [a]) { g, _ in [g] }
    }
    public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }
    public static func + (s: Float, a: Tensor) -> Tensor { a + s }
    public static func - (s: Float, a: Tensor) -> Tensor { (-a) + s }

    public static func * (a: Tensor, s: Float) -> Tensor {
        a.map { $0 * s }.recorded("mul-scalar", [a]) { g, _ in [g * s] }
    }
    public static func * (s: Float, a: Tensor) -> Tensor { a * s }
    public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }

    /// Applies `f` element-wise without recording (building block for ops).
    func map(_ f: (Float) -> Float) -> Tensor {
        var out = [Float](repeating: 0, count: count)
        storage.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<p.count { o[i] = f(p[i]) }
            }
        }
        return Tensor(unchecked: shape, storage: out)
    }

    /// Combines two same-shaped tensors element-wise without recording.
    func zipMap(_ other: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        precondition(other.count == count, "zipMap: \(shape) vs \(other.shape)")
        var out = [Float](repeating: 0, count: count)
        storage.withUnsafeBufferPointer { p in
            other.storage.withUnsafeBufferPointer { q in
                out.withUnsafeMutableBufferPointer { o in
                    for i in 0..<p.count { o[i] = f(p[i], q[i]) }
                }
            }
        }
        return Tensor(unchecked: shape, storage: out)
    }
}
