/// Broadcasting element-wise arithmetic: +, −, ×, ÷ with NumPy broadcasting.
extension Tensor {
    /// The kind of binary element-wise op; one kernel serves all four.
    enum BinaryOp { case add, sub, mul, div }

    @inline(__always)
    static func apply(_ op: BinaryOp, _ x: Float, _ y: Float) -> Float {
        switch op {
        case .add: return x + y
        case .sub: return x - y
        case .mul: return x * y
        case .div: return x / y
        }
    }

    /// Applies `op` with broadcasting. Fast paths: equal shapes, and a scalar operand.
    static func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, name: String) throws -> Tensor {
        let outShape = try Shape.broadcast(a.shape, b.shape, op: name)
        let n = Shape.count(outShape)!
        var out = [Float](repeating: 0, count: n)
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    if a.shape == b.shape {
                        for i in 0..<n { po[i] = apply(op, pa[i], pb[i]) }
                    } else if pb.count == 1 {
                        let y = pb[0]
                        for i in 0..<n { po[i] = apply(op, pa[i], y) }
                    } else if pa.count == 1 {
                        let x = pa[0]
                        for i in 0..<n { po[i] = apply(op, x, pb[i]) }
                    } else {
                        let sa = broadcastStrides(a.shape, to: outShape)
                        let sb = broadcastStrides(b.shape, to: outShape)
                        // Walk the output with an odometer over all but the last axis;
                        // the last axis is a strided inner loop.
                        let r = outShape.count
                        let inner = outShape[r - 1]
                        let ia = sa[r - 1], ib = sb[r - 1]
                        var idx = [Int](repeating: 0, count: r)
                        var offA = 0, offB = 0, o = 0
                        while o < n {
                            for j in 0..<inner {
                                po[o &+ j] = apply(op, pa[offA &+ j &* ia], pb[offB &+ j &* ib])
                            }
                            o += inner
                            var d = r - 2
                            while d >= 0 {
                                idx[d] += 1
                                offA += sa[d]; offB += sb[d]
                                if idx[d] < outShape[d] { break }
                                offA -= sa[d] * outShape[d]; offB -= sb[d] * outShape[d]
                                idx[d] = 0
                                d -= 1
                            }
                        }
                    }
                }
            }
        }
        return Tensor(unchecked: outShape, storage: out)
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
