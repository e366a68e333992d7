import Foundation
import Testing
@testable import Framework
import AVX512Kernels
import PortableKernels

@Suite("Vector exp and sigmoid")
struct VectorMathTests {
    @Test("exp matches Foundation's to a few ulp over the whole normal range")
    func expAccuracy() {
        var worst = 0.0
        var x: Float = -86
        while x < 87.5 {
            var v = SIMD16<Float>()
            for l in 0..<16 { v[l] = x + Float(l) * 0.0137 }
            let got = VectorMath.exp(v)
            for l in 0..<16 {
                let exact = Foundation.exp(Double(v[l]))
                worst = max(worst, abs(Double(got[l]) - exact) / exact)
            }
            x += 0.37
        }
        #expect(worst < 4e-7, "worst relative error \(worst)")
    }

    @Test("exp overflows to infinity, underflows to zero and keeps NaN, like expf")
    func expEdges() {
        var input = SIMD16<Float>(repeating: 0)
        for (l, value) in ([-1000, -88, 0, 1, 89, 1000, Float.nan, -Float.infinity] as [Float]).enumerated() { input[l] = value }
        let v = VectorMath.exp(input)
        #expect(v[0] == 0 && v[1] == 0 && v[7] == 0)
        #expect(v[2] == 1)
        #expect(abs(v[3] - Float(M_E)) < 1e-6)
        #expect(v[4] == .infinity && v[5] == .infinity)
        #expect(v[6].isNaN)
        let top = VectorMath.exp(SIMD16<Float>(repeating: 88.7))[0]
        #expect(top.isFinite && abs(Double(top) / Foundation.exp(Double(Float(88.7))) - 1) < 1e-6)
    }

    @Test("ReLU and its gradient from the output over whole buffers: exact, NaN kept, zero at zero, portable and AVX-512",
          arguments: [1, 15, 16, 17, 40_003])
    func relu(_ count: Int) {
        var rng = RandomGenerator(seed: UInt64(count))
        var x = (0..<count).map { _ in rng.uniform() - 0.5 }
        let g = (0..<count).map { _ in rng.uniform() + 1 }
        x[0] = .nan
        if count > 2 { x[1] = 0; x[2] = -0.0 }
        for avx512 in BLAS.avx512Available ? [false, true] : [false] {
            func run(_ f: VectorMath.Function, _ y: [Float]) -> [Float] {
                var out = [Float](repeating: .infinity, count: count)
                x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in out.withUnsafeMutableBufferPointer { po in
                    if avx512 {
                        VectorMath.applyAVX512(f, x: px.baseAddress!, y: py.baseAddress!, out: po.baseAddress!, count: count)
                    } else {
                        VectorMath.apply(f, x: px.baseAddress!, y: py.baseAddress!, out: po.baseAddress!, count: count)
                    }
                } } }
                return out
            }
            let forward = run(.relu, g), backward = run(.reluGradient, g)
            #expect(forward[0].isNaN && backward[0] == 0, "avx512 \(avx512)")
            for i in 1..<count {
                #expect(forward[i] == (x[i] < 0 ? 0 : x[i]), "avx512 \(avx512), relu at \(x[i])")
                #expect(backward[i] == (x[i] > 0 ? g[i] : 0), "avx512 \(avx512), gradient at \(x[i])")
            }
        }
    }

    @Test("sigmoid, SiLU, GELU and their gradients over whole buffers match the scalar formulas, tails included, portable and AVX-512",
          arguments: [1, 15, 16, 17, 40_003])
    func activations(_ count: Int) throws {
        var rng = RandomGenerator(seed: UInt64(count))
        let x = (0..<count).map { _ in (rng.uniform() - 0.5) * 40 }, g = (0..<count).map { _ in rng.uniform() - 0.5 }
        var paths: [(String, (VectorMath.Function, UnsafePointer<Float>, UnsafePointer<Float>?, UnsafeMutablePointer<Float>, Int) -> Void)] = [
            ("portable", { VectorMath.apply($0, x: $1, y: $2, out: $3, count: $4) })]
        if BLAS.avx512Available { paths.append(("avx512", { VectorMath.applyAVX512($0, x: $1, y: $2, out: $3, count: $4) })) }
        for (name, run) in paths {
            for f in [VectorMath.Function.sigmoid, .silu, .siluGradient, .gelu, .geluGradient] {
                var out = [Float](repeating: .nan, count: count)
                x.withUnsafeBufferPointer { px in g.withUnsafeBufferPointer { pg in out.withUnsafeMutableBufferPointer { po in
                    run(f, px.baseAddress!, pg.baseAddress!, po.baseAddress!, count)
                } } }
                for i in 0..<count {
                    let xi = Double(x[i]), s = 1 / (1 + Foundation.exp(-xi))
                    // The error allowed scales with the terms summed (1 + x(1 − s) cancels near x ≈ −1.28).
                    let exact: Double, scale: Double
                    switch f {
                    case .sigmoid: (exact, scale) = (s, s)
                    case .silu: (exact, scale) = (xi * s, abs(xi * s))
                    case .siluGradient:
                        exact = Double(g[i]) * s * (1 + xi * (1 - s))
                        scale = abs(Double(g[i])) * s * (1 + abs(xi) * (1 - s))
                    // In GELU's negative tail Φ is e^(−x²/2)·(…): the Float rounding of x²/2
                    // scales the relative error by about x²/8 (values there are below 10⁻¹⁵).
                    case .gelu:
                        exact = xi * 0.5 * Foundation.erfc(-xi / 2.0.squareRoot())
                        scale = abs(exact) * max(1, xi * xi / 8)
                    case .geluGradient:
                        let cdf = 0.5 * Foundation.erfc(-xi / 2.0.squareRoot()), pdf = Foundation.exp(-0.5 * xi * xi) / (2 * Double.pi).squareRoot()
                        exact = Double(g[i]) * (cdf + xi * pdf)
                        scale = abs(Double(g[i])) * (cdf + abs(xi) * pdf) * max(1, xi * xi / 8)
                    case .relu, .reluGradient:
                        Issue.record("exact functions are checked by `relu`")
                        return
                    }
                    #expect(abs(Double(out[i]) - exact) <= 2e-6 * scale + 1e-30, "\(name) \(f) at \(xi)")
                }
            }
        }
        let nan = try Tensor(shape: [3], storage: [1, .nan, -2]).silu()
        #expect(nan.storage[1].isNaN && !nan.storage[0].isNaN && !nan.storage[2].isNaN)
    }
}
