import TestSupport
import Testing
@testable import Framework

@Suite("Upsampling gradients")
struct UpsampleGradTests {
    static let sizes: [([Int], (Int, Int))] = [
        ([1, 2, 3, 4], (7, 9)),   // up, non-integer factors
        ([2, 1, 7, 5], (3, 2)),   // down
        ([1, 2, 4, 3], (8, 6)),   // up ×2
        ([1, 1, 5, 4], (5, 7)),   // one axis unchanged
        ([1, 1, 1, 3], (4, 1)),   // single row in, single column out
    ]

    @Test("upsampleNearest up and down", arguments: sizes)
    func nearest(_ c: ([Int], (Int, Int))) throws {
        try checkGradients("upsampleNearest \(c.0) → \(c.1)", inputs: [GradInput(c.0)],
                           op: { try $0[0].upsampleNearest(size: c.1) },
                           reference: { refNearest($0[0], size: c.1) })
    }

    @Test("upsampleBilinear up and down, corners aligned or not", arguments: sizes, [false, true])
    func bilinear(_ c: ([Int], (Int, Int)), alignCorners: Bool) throws {
        try checkGradients("upsampleBilinear \(c.0) → \(c.1) alignCorners \(alignCorners)", inputs: [GradInput(c.0)],
                           op: { try $0[0].upsampleBilinear(size: c.1, alignCorners: alignCorners) },
                           reference: { refBilinear($0[0], size: c.1, alignCorners: alignCorners) })
    }

    @Test("bilinear source positions match PyTorch's rule")
    func bilinearTaps() {
        // 2 → 4 without aligned corners: src = (d + ½)/2 − ½ = −¼ (clamped to 0), ¼, ¾, 1¼.
        let t = Resample.linear(input: 2, output: 4, alignCorners: false)
        #expect(t.lo == [0, 0, 0, 1] && t.hi == [1, 1, 1, 1])
        #expect(t.wHi == [0, 0.25, 0.75, 0.25])
        // 3 → 5 with aligned corners: src = d·½.
        let a = Resample.linear(input: 3, output: 5, alignCorners: true)
        #expect(a.lo == [0, 0, 1, 1, 2] && a.wHi == [0, 0.5, 0, 0.5, 0])
        #expect(Resample.nearest(input: 3, output: 7) == [0, 0, 0, 1, 1, 2, 2])
    }

    @Test("resize shape errors name the shapes")
    func shapeErrors() throws {
        let x = try Tensor.zeros([1, 2, 5, 5])
        #expect(throws: TensorError.invalidArgument(op: "upsampleNearest", message: "output size (0, 3) must be positive (input [1, 2, 5, 5])")) {
            try x.upsampleNearest(size: (0, 3))
        }
        #expect(throws: TensorError.invalidArgument(op: "upsampleBilinear", message: "input must be [N, C, H, W], got shape [5, 5]")) {
            try Tensor.zeros([5, 5]).upsampleBilinear(size: (3, 3))
        }
    }
}

/// Nearest neighbour with source `floor(dst·in/out)` in exact integer arithmetic.
func refNearest(_ x: Ref, size: (Int, Int)) -> Ref {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    var y = Ref.zeros([n, c, size.0, size.1])
    for p in 0..<n * c {
        for i in 0..<size.0 {
            for j in 0..<size.1 {
                y.data[(p * size.0 + i) * size.1 + j] = x.data[(p * h + i * h / size.0) * w + j * w / size.1]
            }
        }
    }
    return y
}

/// Bilinear interpolation in Float64 from PyTorch's definition of the source coordinate.
func refBilinear(_ x: Ref, size: (Int, Int), alignCorners: Bool) -> Ref {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    func source(_ d: Int, _ input: Int, _ output: Int) -> (Int, Int, Double) {
        let s: Double
        if alignCorners {
            s = output > 1 ? Double(d) * Double(input - 1) / Double(output - 1) : 0
        } else {
            s = max((Double(d) + 0.5) * Double(input) / Double(output) - 0.5, 0)
        }
        let lo = min(Int(s.rounded(.down)), input - 1)
        return (lo, min(lo + 1, input - 1), s - Double(lo))
    }
    var y = Ref.zeros([n, c, size.0, size.1])
    for p in 0..<n * c {
        for i in 0..<size.0 {
            let (r0, r1, a) = source(i, h, size.0)
            for j in 0..<size.1 {
                let (q0, q1, b) = source(j, w, size.1)
                func v(_ r: Int, _ q: Int) -> Double { x.data[(p * h + r) * w + q] }
                y.data[(p * size.0 + i) * size.1 + j] =
                    (1 - a) * ((1 - b) * v(r0, q0) + b * v(r0, q1)) + a * ((1 - b) * v(r1, q0) + b * v(r1, q1))
            }
        }
    }
    return y
}
