/// Copies between a dense row-major block and a strided view of another buffer: the one
/// kernel behind permute, slice, pad and concat and their gradients.
///
/// A view is `shape` plus, per axis, a stride into the other buffer and a base offset: the
/// dense element at multi-index `i` corresponds to `base + Σ i[d]·strides[d]`.
enum Strided {
    /// Reads the view into a new dense array of `Shape.count(shape)` elements.
    static func gather(_ source: [Float], shape: [Int], base: Int, strides: [Int]) -> [Float] {
        let n = Shape.count(shape)!
        return source.withUnsafeBufferPointer { src in
            [Float](unsafeUninitializedCapacity: n) { out, initialized in
                if n > 0 {
                    let s = src.baseAddress!, o = out.baseAddress!
                    walk(shape: shape, base: base, strides: strides) { dense, offset, len, inner in
                        var k = offset
                        for j in 0..<len {
                            o[dense &+ j] = s[k]
                            k &+= inner
                        }
                    }
                }
                initialized = n
            }
        }
    }

    /// Writes (or, with `accumulate`, adds) the dense `values` into the view of `target`.
    static func scatter(_ values: [Float], into target: inout [Float], shape: [Int], base: Int, strides: [Int],
                        accumulate: Bool = false) {
        guard Shape.count(shape)! > 0 else { return }
        values.withUnsafeBufferPointer { src in
            target.withUnsafeMutableBufferPointer { dst in
                let s = src.baseAddress!, t = dst.baseAddress!
                walk(shape: shape, base: base, strides: strides) { dense, offset, len, inner in
                    var k = offset
                    if accumulate {
                        for j in 0..<len { t[k] += s[dense &+ j]; k &+= inner }
                    } else {
                        for j in 0..<len { t[k] = s[dense &+ j]; k &+= inner }
                    }
                }
            }
        }
    }

    /// Calls `row(denseStart, viewOffset, length, innerStride)` for every run along the last
    /// axis, walking the outer axes with an odometer. A rank-0 view is one run of length 1.
    @inline(__always)
    static func walk(shape: [Int], base: Int, strides: [Int], _ row: (Int, Int, Int, Int) -> Void) {
        let r = shape.count
        guard r > 0 else { row(0, base, 1, 0); return }
        let len = shape[r - 1], inner = strides[r - 1]
        let rows = Shape.count(Array(shape.dropLast()))!
        var idx = [Int](repeating: 0, count: r)
        var offset = base
        for i in 0..<rows {
            row(i &* len, offset, len, inner)
            var d = r - 2
            while d >= 0 {
                idx[d] &+= 1
                offset &+= strides[d]
                if idx[d] < shape[d] { break }
                offset &-= strides[d] &* shape[d]
                idx[d] = 0
                d -= 1
            }
        }
    }
}
