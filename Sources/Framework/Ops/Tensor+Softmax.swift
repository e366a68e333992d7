import Foundation

/// Softmax and log-softmax along one axis, max-subtracted so that no exponential overflows.
extension Tensor {
    /// e^(x − max) / Σ e^(x − max) along `axis`.
    public func softmax(axis: Int = -1) throws -> Tensor {
        let (out, outer, r, inner) = try normalizedExponential(axis: axis, log: false, op: "softmax")
        return out.recorded("softmax", [self]) { g, out in
            // ∂x = y ⊙ (g − Σ g·y) along the axis.
            [Tensor.mapLines(g, out, outer: outer, r: r, inner: inner) { g, y, o, base, step in
                var dot: Float = 0
                for j in 0..<r { dot += g[base &+ j &* step] * y[base &+ j &* step] }
                for j in 0..<r {
                    let i = base &+ j &* step
                    o[i] = y[i] * (g[i] - dot)
                }
            }]
        }
    }

    /// x − max − log Σ e^(x − max) along `axis`.
    public func logSoftmax(axis: Int = -1) throws -> Tensor {
        let (out, outer, r, inner) = try normalizedExponential(axis: axis, log: true, op: "logSoftmax")
        return out.recorded("logSoftmax", [self]) { g, out in
            // ∂x = g − softmax · Σ g along the axis.
            [Tensor.mapLines(g, out, outer: outer, r: r, inner: inner) { g, y, o, base, step in
                var total: Float = 0
                for j in 0..<r { total += g[base &+ j &* step] }
                for j in 0..<r {
                    let i = base &+ j &* step
                    o[i] = g[i] - Foundation.exp(y[i]) * total
                }
            }]
        }
    }

    /// The forward pass of softmax (or log-softmax when `log`) and the [outer, r, inner]
    /// view it ran over.
    private func normalizedExponential(axis: Int, log: Bool, op: String) throws
        -> (out: Tensor, outer: Int, r: Int, inner: Int)
    {
        let ax = try Shape.axis(axis, rank: rank, op: op)
        let (outer, r, inner) = splitAround(ax)
        let out = Tensor.mapLines(self, outer: outer, r: r, inner: inner) { x, _, o, base, step in
            var m = -Float.infinity
            for j in 0..<r { m = Swift.max(m, x[base &+ j &* step]) }
            var s: Float = 0
            for j in 0..<r {
                let e = Foundation.exp(x[base &+ j &* step] - m)
                if !log { o[base &+ j &* step] = e }
                s += e
            }
            if log {
                let shift = m + Foundation.log(s)
                for j in 0..<r { o[base &+ j &* step] = x[base &+ j &* step] - shift }
            } else {
                let inv = 1 / s
                for j in 0..<r { o[base &+ j &* step] *= inv }
            }
        }
        return (out, outer, r, inner)
    }

    /// The sizes before, at and after `axis`: the tensor viewed as [outer, r, inner].
    func splitAround(_ axis: Int) -> (outer: Int, r: Int, inner: Int) {
        (Shape.count(Array(shape[..<axis]))!, shape[axis], Shape.count(Array(shape[(axis + 1)...]))!)
    }

    /// Runs `line(a, b, out, base, step)` for every line along the middle axis of an
    /// [outer, r, inner] layout (elements `base + j·step`, j < r), in parallel chunks of
    /// lines. `b` is `a` when not given; the output has `a`'s shape.
    static func mapLines(_ a: Tensor, _ b: Tensor? = nil, outer: Int, r: Int, inner: Int,
                         _ line: (_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                  _ out: UnsafeMutablePointer<Float>, _ base: Int, _ step: Int) -> Void) -> Tensor {
        let n = a.count
        var out = [Float](repeating: 0, count: n)
        guard n > 0 else { return Tensor(unchecked: a.shape, storage: out) }
        a.storage.withUnsafeBufferPointer { pa in
            (b ?? a).storage.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { o in
                    let x = pa.baseAddress!, y = pb.baseAddress!, dst = o.baseAddress!
                    Parallel.chunks(outer * inner, minChunk: Swift.max(1, pointwiseMinChunk / Swift.max(1, r))) { start, end in
                        for l in start..<end {
                            let i = l / inner, k = l - i * inner
                            line(x, y, dst, i &* r &* inner &+ k, inner)
                        }
                    }
                }
            }
        }
        return Tensor(unchecked: a.shape, storage: out)
    }
}
