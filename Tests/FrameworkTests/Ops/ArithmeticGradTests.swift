import TestSupport
import Testing
@testable import Framework

@Suite("Arithmetic, reshape, sum and matmul gradients")
struct ArithmeticGradTests {
    static let broadcastCases: [([Int], [Int])] = [
        ([3, 4], [3, 4]), ([2, 3, 5], [5]), ([2, 1, 5], [3, 1]), ([1], [4, 3]), ([2, 3, 1, 1], [3, 4, 5]),
    ]

    @Test("add, sub, mul, div with broadcasting", arguments: broadcastCases)
    func binary(_ shapes: ([Int], [Int])) throws {
        let (a, b) = shapes
        try checkGradients("add \(a)+\(b)", inputs: [GradInput(a), GradInput(b)], op: { try $0[0] + $0[1] },
                           reference: { Ref.broadcast($0[0], $0[1], +) })
        try checkGradients("sub \(a)-\(b)", inputs: [GradInput(a), GradInput(b)], op: { try $0[0] - $0[1] },
                           reference: { Ref.broadcast($0[0], $0[1], -) })
        try checkGradients("mul \(a)*\(b)", inputs: [GradInput(a), GradInput(b)], op: { try $0[0] * $0[1] },
                           reference: { Ref.broadcast($0[0], $0[1], *) })
        try checkGradients("div \(a)/\(b)", inputs: [GradInput(a), GradInput(b, draw: positive)], op: { try $0[0] / $0[1] },
                           reference: { Ref.broadcast($0[0], $0[1], /) })
    }

    @Test func scalarOps() throws {
        try checkGradients("scalar affine", inputs: [GradInput([3, 5])], op: { 2 - ($0[0] * 3 + 1) / 4 },
                           reference: { $0[0].map { 2 - ($0 * 3 + 1) / 4 } })
    }

    @Test func reshapeAndSum() throws {
        try checkGradients("reshape", inputs: [GradInput([2, 3, 4])], op: { try $0[0].reshaped([4, -1]) * $0[0].reshaped([4, 6]) },
                           reference: { r in Ref(shape: [4, 6], data: r[0].data.map { $0 * $0 }) })
        for axes in [[0], [1], [2], [0, 2], [], [-1], [1, 2], [0, 1], [2, 1]] {
            try checkGradients("sum \(axes)", inputs: [GradInput([3, 4, 5])], op: { try $0[0].sum(axes: axes, keepDims: false) },
                               reference: { r in refSum(r[0], axes: axes) })
        }
    }

    /// A global pool's sum over (H, W) is one pass over whole planes, split among threads
    /// for large tensors; every plane must be summed, to Float rounding.
    @Test func sumOverTrailingPlanes() throws {
        var rng = RandomGenerator(seed: 17)
        let x = try Tensor.randn([4, 9, 61, 70], using: &rng)
        let s = try x.sum(axes: [2, 3], keepDims: true)
        #expect(s.shape == [4, 9, 1, 1])
        let plane = 61 * 70
        for p in 0..<36 {
            let exact = x.storage[(p * plane)..<((p + 1) * plane)].reduce(0.0) { $0 + Double($1) }
            #expect(abs(Double(s.storage[p]) - exact) < 1e-3, "plane \(p)")
        }
    }

    @Test("matmul 2-D, batched and broadcast", arguments: [
        ([3, 4], [4, 5]), ([2, 3, 4], [2, 4, 5]), ([2, 3, 4], [4, 5]), ([3, 4], [2, 4, 5]), ([1, 7], [7, 1]),
    ])
    func matmul(_ shapes: ([Int], [Int])) throws {
        try checkGradients("matmul \(shapes.0)×\(shapes.1)", inputs: [GradInput(shapes.0), GradInput(shapes.1)],
                           op: { try $0[0].matmul($0[1]) }, reference: { refMatmul($0[0], $0[1]) })
    }

    @Test func shapeErrorsNameBothShapes() throws {
        let a = try Tensor.zeros([2, 3]), b = try Tensor.zeros([4, 5])
        #expect(throws: TensorError.self) { try a + b }
        do { _ = try a.matmul(b); Issue.record("expected an error") } catch let e as TensorError {
            #expect(e.description.contains("[2, 3]") && e.description.contains("[4, 5]"))
        }
    }
}

func refSum(_ x: Ref, axes: [Int]) -> Ref {
    let norm = Set(axes.isEmpty ? Array(0..<x.shape.count) : axes.map { $0 < 0 ? $0 + x.shape.count : $0 })
    let outShape = x.shape.enumerated().filter { !norm.contains($0.offset) }.map(\.element)
    var r = Ref.zeros(outShape)
    for (i, idx) in Ref.indices(x.shape).enumerated() {
        let o = idx.enumerated().filter { !norm.contains($0.offset) }.map(\.element)
        r[o] += x.data[i]
    }
    return r
}

func refMatmul(_ a: Ref, _ b: Ref) -> Ref {
    let m = a.shape[a.shape.count - 2], k = a.shape.last!, n = b.shape.last!
    let batch = a.shape.count > 2 ? Array(a.shape.dropLast(2)) : Array(b.shape.dropLast(2))
    let nb = Shape.count(batch)!
    var r = Ref.zeros(batch + [m, n])
    for bi in 0..<nb {
        let ao = a.shape.count > 2 ? bi * m * k : 0, bo = b.shape.count > 2 ? bi * k * n : 0
        for i in 0..<m { for j in 0..<n {
            var s = 0.0
            for p in 0..<k { s += a.data[ao + i * k + p] * b.data[bo + p * n + j] }
            r.data[bi * m * n + i * n + j] = s
        } }
    }
    return r
}
