import TestSupport
import Testing
@testable import Framework

/// Distinct values, a shuffled evenly spaced grid in `[low, high)`, drawn in order: a max pool
/// then has one argmax per window, and no finite-difference step can change it.
final class DistinctValues {
    private var values: [Double]
    private var next = 0

    init(count: Int, low: Double = -1, high: Double = 1, seed: UInt64 = 11) {
        var rng = RandomGenerator(seed: seed)
        var v = (0..<count).map { low + (high - low) * Double($0) / Double(count) }
        for i in stride(from: count - 1, to: 0, by: -1) { v.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        values = v
    }

    func draw(_: inout RandomGenerator) -> Double {
        defer { next += 1 }
        return values[next % values.count]
    }
}

@Suite("Pooling gradients")
struct PoolGradTests {
    static let maxCases: [(input: [Int], kernel: (Int, Int), stride: (Int, Int)?, padding: (Int, Int), low: Double)] = [
        ([2, 3, 7, 5], (3, 3), (2, 2), (1, 1), -1),
        ([1, 2, 6, 7], (2, 3), (1, 2), (1, 1), -1),
        ([1, 2, 6, 4], (2, 2), nil, (0, 0), -1),
        ([1, 2, 5, 5], (3, 3), (1, 1), (1, 1), -3),
    ]

    @Test("maxPool2d with padding and overlapping windows", arguments: 0..<maxCases.count)
    func maxPool(_ k: Int) throws {
        let c = Self.maxCases[k]
        // The last case is all negative: padding must act as −∞, not 0.
        let values = DistinctValues(count: Shape.count(c.input)!, low: c.low, high: c.low + 2)
        try checkGradients("maxPool2d \(c.input) k\(c.kernel) s\(String(describing: c.stride)) p\(c.padding)",
                           inputs: [GradInput(c.input, draw: values.draw)],
                           op: { try $0[0].maxPool2d(kernel: c.kernel, stride: c.stride, padding: c.padding) },
                           reference: { refMaxPool($0[0], kernel: c.kernel, stride: c.stride ?? c.kernel, padding: c.padding) })
    }

    @Test("maxPool2d sends the gradient of a tie to the first maximum")
    func maxPoolTies() throws {
        let x = try Tensor(shape: [1, 1, 3, 3], storage: [Float](repeating: 1, count: 9), requiresGrad: true)
        let y = try x.maxPool2d(kernel: (2, 2), stride: (1, 1))
        try y.backward(Tensor.ones([1, 1, 2, 2]))
        // Windows start at (0,0), (0,1), (1,0), (1,1): each routes to its own top-left.
        #expect(x.grad?.storage == [1, 1, 0, 1, 1, 0, 0, 0, 0])
    }

    @Test("maxPool2d propagates a NaN, as PyTorch does, and routes its window's gradient to it")
    func maxPoolNaN() throws {
        // 2×2 windows over a 2×4 plane: the first window holds a NaN after a larger value.
        let x = try Tensor(shape: [1, 1, 2, 4], storage: [5, 1, 2, 3, .nan, 0, 7, 4], requiresGrad: true)
        let y = try x.maxPool2d(kernel: (2, 2), stride: (2, 2))
        #expect(y.storage[0].isNaN)
        #expect(y.storage[1] == 7)
        try y.backward(Tensor.ones([1, 1, 1, 2]))
        #expect(x.grad?.storage == [0, 0, 0, 0, 1, 0, 1, 0])
        let inference = try GradMode.withoutGrad { try x.maxPool2d(kernel: (2, 2), stride: (2, 2)) }
        #expect(inference.storage[0].isNaN && inference.storage[1] == 7)
    }

    @Test("maxPool2d 2×2 stride 2 (eight outputs at a time, then the rest) keeps the first maximum and the first NaN")
    func maxPoolTwoByTwo() throws {
        var rng = RandomGenerator(seed: 23)
        // 38 columns: two blocks of eight outputs and a tail of three; 7 rows: the last unused.
        let (h, w) = (7, 38), (oh, ow) = (3, 19)
        var values = (0..<(2 * 3 * h * w)).map { _ in Float(Int(rng.uniform() * 4)) }  // many ties
        for i in stride(from: 5, to: values.count, by: 37) { values[i] = .nan }
        let x = try Tensor(shape: [2, 3, h, w], storage: values, requiresGrad: true)
        let y = try x.maxPool2d(kernel: (2, 2), stride: (2, 2))
        try y.backward(Tensor.ones(y.shape))
        var expected = [Float](repeating: 0, count: values.count), grad = [Float](repeating: 0, count: values.count)
        for p in 0..<6 {
            for i in 0..<oh {
                for j in 0..<ow {
                    var best = -Float.infinity, at = -1
                    for (r, c) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                        let index = p * h * w + (2 * i + r) * w + 2 * j + c, v = values[index]
                        if at < 0 || v > best || (v.isNaN && !best.isNaN) { best = v; at = index }
                    }
                    expected[p * oh * ow + i * ow + j] = best
                    grad[at] += 1
                }
            }
        }
        let out = y.storage
        for k in 0..<(6 * oh * ow) {
            #expect(out[k] == expected[k] || (out[k].isNaN && expected[k].isNaN), "output \(k)")
        }
        #expect(x.grad?.storage == grad)
    }

    @Test("maxPool2d at inference (columns first, then rows) equals the training path with argmax")
    func maxPoolInferenceMatchesTraining() throws {
        var rng = RandomGenerator(seed: 11)
        for (shape, kernel, stride, padding) in [([2, 3, 32, 32], (3, 3), (2, 2), (1, 1)), ([1, 2, 7, 9], (2, 3), (1, 2), (1, 1)),
                                                 ([1, 1, 5, 8], (5, 4), (3, 3), (2, 2))] {
            let x = try Tensor.randn(shape, using: &rng)
            x.requiresGrad = true
            let training = try x.maxPool2d(kernel: kernel, stride: stride, padding: padding)
            let inference = try GradMode.withoutGrad { try x.maxPool2d(kernel: kernel, stride: stride, padding: padding) }
            #expect(inference.shape == training.shape)
            #expect(inference.storage == training.storage, "\(shape) k\(kernel) s\(stride) p\(padding)")
        }
    }

    static let avgCases: [(input: [Int], kernel: (Int, Int), stride: (Int, Int)?, padding: (Int, Int))] = [
        ([2, 3, 7, 5], (3, 3), (2, 2), (1, 1)),
        ([1, 2, 6, 7], (2, 3), (1, 2), (1, 1)),
        ([1, 2, 6, 4], (2, 2), nil, (0, 0)),
        ([1, 1, 5, 8], (5, 4), (3, 3), (2, 2)),
    ]

    @Test("avgPool2d with and without counting the padding", arguments: 0..<avgCases.count, [true, false])
    func avgPool(_ k: Int, countIncludePad: Bool) throws {
        let c = Self.avgCases[k]
        try checkGradients("avgPool2d \(c.input) k\(c.kernel) p\(c.padding) countIncludePad \(countIncludePad)",
                           inputs: [GradInput(c.input)],
                           op: { try $0[0].avgPool2d(kernel: c.kernel, stride: c.stride, padding: c.padding, countIncludePad: countIncludePad) },
                           reference: { refAvgPool($0[0], kernel: c.kernel, stride: c.stride ?? c.kernel, padding: c.padding,
                                                   countIncludePad: countIncludePad) })
    }

    @Test("adaptiveAvgPool2d with sizes that do not divide", arguments: [
        ([1, 2, 7, 7], (3, 3)), ([2, 1, 7, 5], (3, 2)), ([1, 2, 3, 4], (5, 7)), ([1, 1, 6, 6], (1, 1)),
    ])
    func adaptive(_ c: ([Int], (Int, Int))) throws {
        try checkGradients("adaptiveAvgPool2d \(c.0) → \(c.1)", inputs: [GradInput(c.0)],
                           op: { try $0[0].adaptiveAvgPool2d(outputSize: c.1) },
                           reference: { refAdaptiveAvgPool($0[0], size: c.1) })
    }

    @Test("adaptive bins follow PyTorch's floor/ceil rule")
    func adaptiveBins() {
        let bins = PoolWindows.adaptive(size: 7, out: 3)
        #expect(bins.lo == [0, 2, 4] && bins.hi == [3, 5, 7])
    }

    @Test func globalAvgPool() throws {
        try checkGradients("globalAvgPool", inputs: [GradInput([2, 3, 5, 7])], op: { $0[0].globalAvgPool() },
                           reference: { r in
                               let x = r[0], plane = 35
                               return Ref(shape: [2, 3], data: (0..<6).map { p in
                                   x.data[p * plane..<(p + 1) * plane].reduce(0, +) / Double(plane)
                               })
                           })
    }

    @Test("pooling shape errors name the shapes")
    func shapeErrors() throws {
        let x = try Tensor.zeros([1, 2, 5, 5])
        func message(_ body: () throws -> Tensor) -> String {
            do { _ = try body(); return "no error" } catch { return "\(error)" }
        }
        #expect(message { try Tensor.zeros([2, 5, 5]).maxPool2d(kernel: (2, 2)) }.contains("[2, 5, 5]"))
        #expect(message { try x.maxPool2d(kernel: (3, 3), padding: (2, 0)) }.contains("half the kernel"))
        #expect(message { try x.avgPool2d(kernel: (7, 2)) }.contains("larger than the padded"))
        #expect(message { try x.avgPool2d(kernel: (2, 2), stride: (0, 1)) }.contains("[1, 2, 5, 5]"))
        #expect(message { try x.adaptiveAvgPool2d(outputSize: (0, 2)) }.contains("must be positive"))
    }
}

/// Max over each window in Float64; padded positions never win.
func refMaxPool(_ x: Ref, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int)) -> Ref {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let oh = (h + 2 * padding.0 - kernel.0) / stride.0 + 1, ow = (w + 2 * padding.1 - kernel.1) / stride.1 + 1
    var y = Ref.zeros([n, c, oh, ow])
    for p in 0..<n * c {
        for i in 0..<oh {
            for j in 0..<ow {
                var best = -Double.infinity
                for r in i * stride.0 - padding.0..<i * stride.0 - padding.0 + kernel.0 where r >= 0 && r < h {
                    for q in j * stride.1 - padding.1..<j * stride.1 - padding.1 + kernel.1 where q >= 0 && q < w {
                        best = max(best, x.data[(p * h + r) * w + q])
                    }
                }
                y.data[(p * oh + i) * ow + j] = best
            }
        }
    }
    return y
}

/// PyTorch's average pooling in Float64: the divisor counts padded positions up to the padded
/// edge, or only the pixels inside.
func refAvgPool(_ x: Ref, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), countIncludePad: Bool) -> Ref {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let oh = (h + 2 * padding.0 - kernel.0) / stride.0 + 1, ow = (w + 2 * padding.1 - kernel.1) / stride.1 + 1
    var y = Ref.zeros([n, c, oh, ow])
    for p in 0..<n * c {
        for i in 0..<oh {
            for j in 0..<ow {
                let r0 = i * stride.0 - padding.0, q0 = j * stride.1 - padding.1
                let r1 = min(r0 + kernel.0, h + padding.0), q1 = min(q0 + kernel.1, w + padding.1)
                var s = 0.0, inside = 0
                for r in max(r0, 0)..<min(r1, h) {
                    for q in max(q0, 0)..<min(q1, w) { s += x.data[(p * h + r) * w + q]; inside += 1 }
                }
                y.data[(p * oh + i) * ow + j] = s / Double(countIncludePad ? (r1 - r0) * (q1 - q0) : inside)
            }
        }
    }
    return y
}

/// Adaptive average pooling in Float64 with bins `floor(i·H/out)..<ceil((i+1)·H/out)`.
func refAdaptiveAvgPool(_ x: Ref, size: (Int, Int)) -> Ref {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    var y = Ref.zeros([n, c, size.0, size.1])
    for p in 0..<n * c {
        for i in 0..<size.0 {
            let r0 = Int((Double(i * h) / Double(size.0)).rounded(.down)), r1 = Int((Double((i + 1) * h) / Double(size.0)).rounded(.up))
            for j in 0..<size.1 {
                let q0 = Int((Double(j * w) / Double(size.1)).rounded(.down)), q1 = Int((Double((j + 1) * w) / Double(size.1)).rounded(.up))
                var s = 0.0
                for r in r0..<r1 { for q in q0..<q1 { s += x.data[(p * h + r) * w + q] } }
                y.data[(p * size.0 + i) * size.1 + j] = s / Double((r1 - r0) * (q1 - q0))
            }
        }
    }
    return y
}
