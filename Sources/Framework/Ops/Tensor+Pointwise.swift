/// Parallel element-wise kernels: the building blocks of unary ops, activations and their
/// backward passes. None of them records on the tape.
extension Tensor {
    /// Elements per chunk below which a loop stays on one thread: under ~16k elements a
    /// thread hand-off costs more than the arithmetic it saves.
    static let pointwiseMinChunk = 16_384

    /// A new tensor of this shape with `f` applied to every element.
    @inline(__always)
    func pointwise(_ f: (Float) -> Float) -> Tensor {
        let n = count
        let out = storage.withUnsafeBufferPointer { p in
            [Float](unsafeUninitializedCapacity: n) { o, initialized in
                if n > 0 {
                    let src = p.baseAddress!, dst = o.baseAddress!
                    Parallel.chunks(n, minChunk: Tensor.pointwiseMinChunk) { start, end in
                        for i in start..<end { dst[i] = f(src[i]) }
                    }
                }
                initialized = n
            }
        }
        return Tensor(unchecked: shape, storage: out)
    }

    /// A new tensor of `a`'s shape with `f(a[i], b[i])`; the element counts must agree.
    @inline(__always)
    static func pointwise(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        precondition(a.count == b.count, "pointwise: \(a.shape) vs \(b.shape)")
        let n = a.count
        let out = a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                [Float](unsafeUninitializedCapacity: n) { o, initialized in
                    if n > 0 {
                        let x = pa.baseAddress!, y = pb.baseAddress!, dst = o.baseAddress!
                        Parallel.chunks(n, minChunk: Tensor.pointwiseMinChunk) { start, end in
                            for i in start..<end { dst[i] = f(x[i], y[i]) }
                        }
                    }
                    initialized = n
                }
            }
        }
        return Tensor(unchecked: a.shape, storage: out)
    }

    /// A new tensor of `a`'s shape with `f(a[i], b[i], c[i])`; the element counts must agree.
    @inline(__always)
    static func pointwise(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ f: (Float, Float, Float) -> Float) -> Tensor {
        precondition(a.count == b.count && a.count == c.count, "pointwise: \(a.shape), \(b.shape), \(c.shape)")
        let n = a.count
        let out = a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeBufferPointer { pc in
                    [Float](unsafeUninitializedCapacity: n) { o, initialized in
                        if n > 0 {
                            let x = pa.baseAddress!, y = pb.baseAddress!, z = pc.baseAddress!, dst = o.baseAddress!
                            Parallel.chunks(n, minChunk: Tensor.pointwiseMinChunk) { start, end in
                                for i in start..<end { dst[i] = f(x[i], y[i], z[i]) }
                            }
                        }
                        initialized = n
                    }
                }
            }
        }
        return Tensor(unchecked: a.shape, storage: out)
    }
}
