import TestSupport
import Testing
@testable import Framework

/// Reduces the values over `axes` (all when empty) with `f`, gathering each group in
/// row-major order.
func refReduce(_ x: Ref, axes: [Int], keepDims: Bool, _ f: ([Double]) -> Double) -> Ref {
    let rank = x.shape.count
    let norm = Set(axes.isEmpty ? Array(0..<rank) : axes.map { $0 < 0 ? $0 + rank : $0 })
    let kept = x.shape.enumerated().map { norm.contains($0.offset) ? 1 : $0.element }
    var groups = [[Double]](repeating: [], count: Shape.count(kept)!)
    let keptStrides = Shape.strides(kept)
    for (i, idx) in Ref.indices(x.shape).enumerated() {
        let o = (0..<rank).reduce(0) { $0 + (norm.contains($1) ? 0 : idx[$1] * keptStrides[$1]) }
        groups[o].append(x.data[i])
    }
    let outShape = keepDims ? kept : x.shape.enumerated().filter { !norm.contains($0.offset) }.map(\.element)
    return Ref(shape: outShape, data: groups.map(f))
}

@Suite("Reduction gradients")
struct ReductionGradTests {
    static let axesCases: [[Int]] = [[0], [1], [2], [0, 2], [], [-1], [1, 0]]

    @Test("mean, max, min, variance over axes", arguments: axesCases, [false, true])
    func reductions(_ axes: [Int], _ keepDims: Bool) throws {
        let shape = [3, 4, 5]
        try checkGradients("mean \(axes)", inputs: [GradInput(shape)], op: { try $0[0].mean(axes: axes, keepDims: keepDims) },
                           reference: { refReduce($0[0], axes: axes, keepDims: keepDims) { $0.reduce(0, +) / Double($0.count) } })
        try checkGradients("max \(axes)", inputs: [GradInput(shape)], op: { try $0[0].max(axes: axes, keepDims: keepDims) },
                           reference: { refReduce($0[0], axes: axes, keepDims: keepDims) { $0.max()! } })
        try checkGradients("min \(axes)", inputs: [GradInput(shape)], op: { try $0[0].min(axes: axes, keepDims: keepDims) },
                           reference: { refReduce($0[0], axes: axes, keepDims: keepDims) { $0.min()! } })
        for unbiased in [false, true] {
            try checkGradients("variance \(axes) unbiased \(unbiased)", inputs: [GradInput(shape)],
                               op: { try $0[0].variance(axes: axes, keepDims: keepDims, unbiased: unbiased) },
                               reference: { refReduce($0[0], axes: axes, keepDims: keepDims) { v in
                                   let m = v.reduce(0, +) / Double(v.count)
                                   return v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(unbiased ? v.count - 1 : v.count)
                               } })
        }
    }

    @Test func maxGradientGoesToTheFirstTie() throws {
        let x = try Tensor(shape: [2, 4], storage: [1, 3, 3, 2, 5, 5, 5, 5], requiresGrad: true)
        let m = try x.max(axes: [1])
        #expect(m.storage == [3, 5])
        try m.sum().backward()
        #expect(x.grad?.storage == [0, 1, 0, 0, 1, 0, 0, 0])

        let y = try Tensor(shape: [2, 3], storage: [4, 0, 0, 0, 9, 0], requiresGrad: true)
        let mn = try y.min(axes: [0])
        #expect(mn.storage == [0, 0, 0])
        try mn.sum().backward()
        // Column 0: the minimum is in row 1; columns 1 and 2: rows 0 and 0 (first of the tie).
        #expect(y.grad?.storage == [0, 1, 1, 1, 0, 0])
    }

    @Test func argmaxPicksTheFirstLargest() throws {
        let x = try Tensor(shape: [2, 3, 2], storage: [0, 7, 2, 7, 2, 1,
                                                       -1, -1, -3, 5, -1, 5])
        #expect(try x.argmax(axis: 1) == [1, 0, 0, 1])
        #expect(try x.argmax(axis: -1) == [1, 1, 0, 0, 1, 1])
        #expect(try x.argmax(axis: 0) == [0, 0, 0, 0, 0, 1])
    }

    @Test func maxPropagatesNaNAndRejectsEmptyAxes() throws {
        let x = try Tensor(shape: [3], storage: [1, .nan, 2])
        #expect(try x.max().item().isNaN)
        #expect(try x.min().item().isNaN)
        let empty = try Tensor.zeros([2, 0])
        #expect(throws: TensorError.self) { try empty.max(axes: [1]) }
        #expect(throws: TensorError.self) { try empty.argmax(axis: 1) }
        #expect(throws: TensorError.self) { try x.mean(axes: [1]) }
    }
}
