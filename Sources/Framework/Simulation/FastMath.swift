/// Elementary functions cheaper than libm where the simulator calls them per pixel.
enum FastMath {
    /// atan2(y, x) in (−π, π], within 2e-6 rad of the exact value: an odd degree-11
    /// polynomial for atan on [0, 1] (minimax fit) with octant reduction, and no libm call.
    @inline(__always)
    static func atan2(_ y: Float, _ x: Float) -> Float {
        let ax = abs(x), ay = abs(y)
        let big = max(ax, ay), small = min(ax, ay)
        if big == 0 { return 0 }
        let z = small / big
        let z2 = z * z
        var a = -0.011719112 as Float
        a = a * z2 + 0.052647293
        a = a * z2 - 0.11642643
        a = a * z2 + 0.19354036
        a = a * z2 - 0.33262283
        a = a * z2 + 0.99997723
        a *= z
        if ay > ax { a = 1.5707964 - a }
        if x < 0 { a = 3.1415927 - a }
        return y < 0 ? -a : a
    }

    /// x rounded to the nearest whole number, ties away from zero, for |x| < 2³¹: an integer
    /// conversion instead of a libm call in per-pixel loops.
    @inline(__always)
    static func rounded(_ x: Float) -> Float { Float(Int32(x + (x < 0 ? -0.5 : 0.5))) }

    /// ⌊x⌋ for |x| < 2³¹, by integer conversion.
    @inline(__always)
    static func floor(_ x: Float) -> Float {
        let t = Float(Int32(x))
        return t > x ? t - 1 : t
    }

    /// dst[k] += w · src[k] for k < count, four lanes at a time (the compiler cannot prove
    /// the two buffers apart, so it would not vectorise the plain loop).
    @inline(__always)
    static func accumulate(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, weight w: Float, count: Int) {
        let lanes = count & ~3
        let wv = SIMD4<Float>(repeating: w)
        var k = 0
        while k < lanes {
            let d = UnsafeMutableRawPointer(dst + k), s = UnsafeRawPointer(src + k)
            d.storeBytes(of: d.loadUnaligned(as: SIMD4<Float>.self) + wv * s.loadUnaligned(as: SIMD4<Float>.self),
                         as: SIMD4<Float>.self)
            k &+= 4
        }
        while k < count {
            dst[k] += w * src[k]
            k &+= 1
        }
    }

    /// dst[k] += w · (a[k] + b[k]) for k < count, four lanes at a time.
    @inline(__always)
    static func accumulate(_ dst: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, plus b: UnsafePointer<Float>,
                           weight w: Float, count: Int) {
        let lanes = count & ~3
        let wv = SIMD4<Float>(repeating: w)
        var k = 0
        while k < lanes {
            let d = UnsafeMutableRawPointer(dst + k)
            let sum = UnsafeRawPointer(a + k).loadUnaligned(as: SIMD4<Float>.self)
                + UnsafeRawPointer(b + k).loadUnaligned(as: SIMD4<Float>.self)
            d.storeBytes(of: d.loadUnaligned(as: SIMD4<Float>.self) + wv * sum, as: SIMD4<Float>.self)
            k &+= 4
        }
        while k < count {
            dst[k] += w * (a[k] + b[k])
            k &+= 1
        }
    }

    /// dst[k] = a[k] + b[k] for k < count, four lanes at a time.
    @inline(__always)
    static func add(_ dst: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) {
        let lanes = count & ~3
        var k = 0
        while k < lanes {
            UnsafeMutableRawPointer(dst + k).storeBytes(
                of: UnsafeRawPointer(a + k).loadUnaligned(as: SIMD4<Float>.self)
                    + UnsafeRawPointer(b + k).loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
            k &+= 4
        }
        while k < count {
            dst[k] = a[k] + b[k]
            k &+= 1
        }
    }
}
