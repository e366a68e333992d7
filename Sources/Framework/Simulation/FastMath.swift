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
}
