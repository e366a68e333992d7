import AVX512Kernels
import PortableKernels

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

    /// `out[i] = f(x[i], y[i])` over `count` floats on the calling thread (`y` is read only
    /// by the gradients; `out` may be `x`), on AVX-512 where the CPU has it.
    @inline(__always)
    static func vectorFunction(_ f: VectorMath.Function, x: UnsafePointer<Float>, y: UnsafePointer<Float>? = nil,
                               out: UnsafeMutablePointer<Float>, count: Int) {
        if BLAS.avx512Available {
            VectorMath.applyAVX512(f, x: x, y: y, out: out, count: count)
        } else {
            VectorMath.apply(f, x: x, y: y, out: out, count: count)
        }
    }

    /// A new tensor of `x`'s shape with the vector function `f` of `x` (and `y`, for
    /// gradients) over all elements, in parallel chunks.
    static func vectorFunction(_ f: VectorMath.Function, _ x: Tensor, _ y: Tensor? = nil) -> Tensor {
        precondition(y == nil || y!.count == x.count, "pointwise: \(x.shape) vs \(y!.shape)")
        let n = x.count
        let out = x.storage.withUnsafeBufferPointer { px in
            Tensor.withOptionalPointer(y) { py in
                [Float](unsafeUninitializedCapacity: n) { o, initialized in
                    if n > 0 {
                        let src = px.baseAddress!, dst = o.baseAddress!
                        Parallel.chunks((n + 15) / 16, minChunk: Tensor.pointwiseMinChunk / 16) { start, end in
                            let first = start * 16
                            vectorFunction(f, x: src + first, y: py.map { $0 + first }, out: dst + first,
                                           count: Swift.min(n, end * 16) - first)
                        }
                    }
                    initialized = n
                }
            }
        }
        return Tensor(unchecked: x.shape, storage: out)
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
