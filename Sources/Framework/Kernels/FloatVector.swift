/// Explicit 8-lane Float vectors for the hand-vectorised kernels: unaligned loads and
/// stores, partial stores at row ends, and a reduction that is not one serial chain.
///
/// `SIMD8<Float>` lowers to the widest registers the build targets (two SSE registers by
/// default, one AVX register with `-target-cpu haswell` or newer).
enum FloatVector {
    typealias Vec = SIMD8<Float>
    static let lanes = 8

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Vec { UnsafeRawPointer(p).loadUnaligned(as: Vec.self) }

    /// Writes (or adds, with `accumulate`) the first `count` lanes of `v` at `p`.
    @inline(__always)
    static func store(_ v: Vec, _ p: UnsafeMutablePointer<Float>, count: Int, accumulate: Bool) {
        if count == lanes {
            var x = v
            if accumulate { x += load(p) }
            UnsafeMutableRawPointer(p).storeBytes(of: x, as: Vec.self)
        } else {
            for l in 0..<count { p[l] = (accumulate ? p[l] : 0) + v[l] }
        }
    }

    /// Copies `count` floats with inline vector moves. For the short rows of small feature
    /// maps (4 to 32 floats) a plain loop is turned into a `memmove` call by the compiler, and
    /// the call costs more than the copy.
    @inline(__always)
    static func copy(from src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i &+ 2 &* lanes <= count {
            UnsafeMutableRawPointer(dst + i).storeBytes(of: load(src + i), as: Vec.self)
            UnsafeMutableRawPointer(dst + (i &+ lanes)).storeBytes(of: load(src + (i &+ lanes)), as: Vec.self)
            i &+= 2 &* lanes
        }
        if i &+ lanes <= count {
            UnsafeMutableRawPointer(dst + i).storeBytes(of: load(src + i), as: Vec.self)
            i &+= lanes
        }
        if i &+ 4 <= count {
            UnsafeMutableRawPointer(dst + i).storeBytes(of: UnsafeRawPointer(src + i).loadUnaligned(as: SIMD4<Float>.self),
                                                       as: SIMD4<Float>.self)
            i &+= 4
        }
        while i < count {
            dst[i] = src[i]
            i &+= 1
        }
    }

    /// `dst[i] += src[i]` for `count` floats.
    static func add(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i &+ lanes <= count {
            store(load(src + i), dst + i, count: lanes, accumulate: true)
            i &+= lanes
        }
        while i < count {
            dst[i] += src[i]
            i &+= 1
        }
    }

    /// The sum of `count` floats, with four vector accumulators (a plain loop is one serial
    /// chain of adds, which the compiler may not reorder).
    static func sum(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var a0 = Vec(), a1 = Vec(), a2 = Vec(), a3 = Vec()
        var i = 0
        while i &+ 4 &* lanes <= count {
            a0 += load(p + i)
            a1 += load(p + (i &+ lanes))
            a2 += load(p + (i &+ 2 &* lanes))
            a3 += load(p + (i &+ 3 &* lanes))
            i &+= 4 &* lanes
        }
        while i &+ lanes <= count {
            a0 += load(p + i)
            i &+= lanes
        }
        var s = ((a0 + a1) + (a2 + a3)).sum()
        while i < count {
            s += p[i]
            i &+= 1
        }
        return s
    }
}
