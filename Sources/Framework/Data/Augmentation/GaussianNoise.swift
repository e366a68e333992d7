import Foundation

/// Additive Gaussian pixel noise, sampled with Marsaglia and Tsang's ziggurat (128 layers):
/// about 99 % of samples cost one 64-bit draw, a table lookup and a multiply, which keeps
/// noise cheaper than the warp it follows. The layer index and the value use disjoint bits
/// of the draw (Doornik's fix for the original's correlation).
enum GaussianNoise {
    /// Start of the tail.
    static let r = 3.442619855899

    struct Tables {
        /// Acceptance thresholds on |hz| per layer.
        var k = [UInt32](repeating: 0, count: 128)
        /// Scale from hz to x per layer.
        var w = [Double](repeating: 0, count: 128)
        /// exp(−x²/2) at each layer's edge.
        var f = [Double](repeating: 0, count: 128)
    }

    static let tables: Tables = {
        var t = Tables()
        let m1 = 2_147_483_648.0
        let v = 9.91256303526217e-3   // area of each layer
        var dn = r, tn = r
        let q = v / exp(-0.5 * dn * dn)
        t.k[0] = UInt32(dn / q * m1)
        t.k[1] = 0
        t.w[0] = q / m1
        t.w[127] = dn / m1
        t.f[0] = 1
        t.f[127] = exp(-0.5 * dn * dn)
        for i in stride(from: 126, through: 1, by: -1) {
            dn = (-2 * log(v / dn + exp(-0.5 * dn * dn))).squareRoot()
            t.k[i + 1] = UInt32(dn / tn * m1)
            tn = dn
            t.f[i] = exp(-0.5 * dn * dn)
            t.w[i] = dn / m1
        }
        return t
    }()

    /// Adds N(0, std²) to every value.
    static func add(to values: inout [Float], std: Float, using rng: inout RandomGenerator) {
        let t = tables
        t.k.withUnsafeBufferPointer { k in
            t.w.withUnsafeBufferPointer { w in
                // Per-layer scale folded with std, in Float for the fast path.
                let ws = w.map { Float($0) * std }
                ws.withUnsafeBufferPointer { ws in
                    values.withUnsafeMutableBufferPointer { p in
                        for i in 0..<p.count {
                            let bits = rng.next()
                            let layer = Int(truncatingIfNeeded: bits & 127)
                            let hz = Int32(truncatingIfNeeded: bits >> 32)
                            if hz.magnitude < k[layer] {
                                p[i] += Float(hz) * ws[layer]
                            } else {
                                p[i] += std * Float(slowPath(hz: hz, layer: layer, t, &rng))
                            }
                        }
                    }
                }
            }
        }
    }

    /// One standard normal draw (what `add` adds before scaling).
    static func sample(using rng: inout RandomGenerator) -> Double {
        let t = tables
        let bits = rng.next()
        let layer = Int(truncatingIfNeeded: bits & 127)
        let hz = Int32(truncatingIfNeeded: bits >> 32)
        if hz.magnitude < t.k[layer] { return Double(hz) * t.w[layer] }
        return slowPath(hz: hz, layer: layer, t, &rng)
    }

    /// The wedge and tail cases: rejection within the layer, or the exponential-tail sampler
    /// for the base layer.
    static func slowPath(hz start: Int32, layer start0: Int, _ t: Tables, _ rng: inout RandomGenerator) -> Double {
        var hz = start, layer = start0
        while true {
            let x = Double(hz) * t.w[layer]
            if layer == 0 {
                var tx: Double, ty: Double
                repeat {
                    tx = -log(1 - rng.uniformDouble()) / r
                    ty = -log(1 - rng.uniformDouble())
                } while ty + ty < tx * tx
                return hz > 0 ? r + tx : -(r + tx)
            }
            if t.f[layer] + rng.uniformDouble() * (t.f[layer - 1] - t.f[layer]) < exp(-0.5 * x * x) { return x }
            let bits = rng.next()
            layer = Int(truncatingIfNeeded: bits & 127)
            hz = Int32(truncatingIfNeeded: bits >> 32)
            if hz.magnitude < t.k[layer] { return Double(hz) * t.w[layer] }
        }
    }
}
