import TestSupport
import Testing
@testable import Framework

func refPermute(_ x: Ref, _ axes: [Int]) -> Ref {
    var r = Ref.zeros(axes.map { x.shape[$0] })
    for (i, idx) in Ref.indices(r.shape).enumerated() {
        var src = [Int](repeating: 0, count: axes.count)
        for (o, a) in axes.enumerated() { src[a] = idx[o] }
        r.data[i] = x[src]
    }
    return r
}

func refSlice(_ x: Ref, axis: Int, start: Int, end: Int, step: Int) -> Ref {
    let dim = x.shape[axis]
    let lo = Swift.min(Swift.max(start < 0 ? start + dim : start, 0), dim)
    let hi = Swift.min(Swift.max(end < 0 ? end + dim : end, 0), dim)
    let picked = Array(stride(from: lo, to: hi, by: step))
    return refGather(x, axis: axis, indices: picked)
}

func refGather(_ x: Ref, axis: Int, indices: [Int]) -> Ref {
    var shape = x.shape
    shape[axis] = indices.count
    var r = Ref.zeros(shape)
    for (i, idx) in Ref.indices(shape).enumerated() {
        var src = idx
        src[axis] = indices[idx[axis]]
        r.data[i] = x[src]
    }
    return r
}

func refPad(_ x: Ref, _ pads: [(Int, Int)], value: Double) -> Ref {
    let shape = zip(x.shape, pads).map { $0 + $1.0 + $1.1 }
    var r = Ref(shape: shape, data: [Double](repeating: value, count: Shape.count(shape)!))
    for (i, idx) in Ref.indices(x.shape).enumerated() {
        r[zip(idx, pads).map { $0 + $1.0 }] = x.data[i]
    }
    return r
}

func refConcat(_ xs: [Ref], axis: Int) -> Ref {
    var shape = xs[0].shape
    shape[axis] = xs.reduce(0) { $0 + $1.shape[axis] }
    var r = Ref.zeros(shape)
    var offset = 0
    for x in xs {
        for (i, idx) in Ref.indices(x.shape).enumerated() {
            var dst = idx
            dst[axis] += offset
            r[dst] = x.data[i]
        }
        offset += x.shape[axis]
    }
    return r
}

@Suite("Layout and indexing gradients")
struct LayoutGradTests {
    @Test("permute", arguments: [[2, 0, 1], [1, 0, 2], [0, 2, 1], [2, 1, 0], [0, 1, 2], [-1, 0, 1]])
    func permute(_ axes: [Int]) throws {
        let norm = axes.map { $0 < 0 ? $0 + 3 : $0 }
        try checkGradients("permute \(axes)", inputs: [GradInput([2, 3, 5])], op: { try $0[0].permuted(axes) },
                           reference: { refPermute($0[0], norm) })
    }

    @Test func transposeSwapsTheLastTwoAxes() throws {
        try checkGradients("transpose 2-D", inputs: [GradInput([3, 5])], op: { try $0[0].transposed() },
                           reference: { refPermute($0[0], [1, 0]) })
        try checkGradients("transpose 4-D", inputs: [GradInput([2, 1, 3, 5])], op: { try $0[0].transposed() },
                           reference: { refPermute($0[0], [0, 1, 3, 2]) })
        #expect(throws: TensorError.self) { try Tensor.zeros([4]).transposed() }
    }

    @Test("slice", arguments: [
        (0, 1, 3, 1), (1, 0, 7, 2), (2, 1, 5, 3), (1, -4, -1, 1), (2, -100, 100, 2), (1, 5, 2, 1), (0, 0, 3, 5),
    ])
    func slice(_ args: (Int, Int, Int, Int)) throws {
        let (axis, start, end, step) = args
        try checkGradients("slice axis \(axis) \(start)..<\(end) by \(step)", inputs: [GradInput([3, 7, 5])],
                           op: { try $0[0].sliced(axis: axis, start: start, end: end, step: step) },
                           reference: { refSlice($0[0], axis: axis, start: start, end: end, step: step) })
    }

    @Test func sliceRejectsBadSteps() {
        #expect(throws: TensorError.self) { try Tensor.zeros([4]).sliced(axis: 0, start: 0, end: 4, step: 0) }
        #expect(throws: TensorError.self) { try Tensor.zeros([4]).sliced(axis: 1, start: 0, end: 4) }
    }

    @Test func concatAlongEachAxis() throws {
        for axis in 0..<3 {
            var a = [2, 3, 4], b = [2, 3, 4], c = [2, 3, 4]
            a[axis] = 1; b[axis] = 3; c[axis] = 2
            try checkGradients("concat axis \(axis)", inputs: [GradInput(a), GradInput(b), GradInput(c)],
                               op: { try Tensor.concat($0, axis: axis) }, reference: { refConcat($0, axis: axis) })
        }
        try checkGradients("concat axis -1 with a constant", inputs: [GradInput([3, 2]), GradInput([3, 5], differentiable: false)],
                           op: { try Tensor.concat($0, axis: -1) }, reference: { refConcat($0, axis: 1) })
    }

    @Test func concatNamesMismatchedShapes() {
        do {
            _ = try Tensor.concat([try Tensor.zeros([2, 3]), try Tensor.zeros([3, 3])], axis: 1)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("[2, 3]") && "\(error)".contains("[3, 3]"))
        }
        #expect(throws: TensorError.self) { try Tensor.concat([], axis: 0) }
    }

    @Test func padWithConstant() throws {
        let pads = [(1, 0), (0, 2), (3, 1)]
        try checkGradients("pad", inputs: [GradInput([2, 3, 5])],
                           op: { try $0[0].padded(pads.map { (before: $0.0, after: $0.1) }, value: 0.5) },
                           reference: { refPad($0[0], pads, value: 0.5) })
        let x = try Tensor(shape: [1, 2], storage: [7, 8])
        #expect(try x.padded([(0, 1), (1, 1)], value: -1).storage == [-1, 7, 8, -1, -1, -1, -1, -1])
        #expect(throws: TensorError.self) { try x.padded([(0, 1)]) }
        #expect(throws: TensorError.self) { try x.padded([(0, 0), (-1, 0)]) }
    }

    @Test("gather with repeated indices", arguments: [(0, [2, 0, 2]), (1, [4, 4, 4, 0, 1]), (2, [1]), (1, [])])
    func gather(_ args: (Int, [Int])) throws {
        let (axis, indices) = args
        try checkGradients("gather axis \(axis) \(indices)", inputs: [GradInput([3, 5, 2])],
                           op: { try $0[0].gather(axis: axis, indices: indices) },
                           reference: { refGather($0[0], axis: axis, indices: indices) })
    }

    @Test func gatherAccumulatesRepeatedIndicesAndNamesBadOnes() throws {
        let x = try Tensor(shape: [3], storage: [1, 2, 3], requiresGrad: true)
        try x.gather(axis: 0, indices: [2, 2, 0, 2]).sum().backward()
        #expect(x.grad?.storage == [1, 0, 3])
        do {
            _ = try x.gather(axis: 0, indices: [0, 3])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("index 3"))
        }
    }

    @Test func squeezeUnsqueezeFlatten() throws {
        try checkGradients("unsqueeze then squeeze", inputs: [GradInput([3, 5])],
                           op: { try $0[0].unsqueezed(axis: 1).squeezed(axis: 1) * $0[0] },
                           reference: { r in r[0].map { $0 * $0 } })
        let x = try Tensor.zeros([2, 3, 1, 5])
        #expect(try x.unsqueezed(axis: 0).shape == [1, 2, 3, 1, 5])
        #expect(try x.unsqueezed(axis: -1).shape == [2, 3, 1, 5, 1])
        #expect(try x.unsqueezed(axis: 2).shape == [2, 3, 1, 1, 5])
        #expect(try x.squeezed(axis: 2).shape == [2, 3, 5])
        #expect(try x.squeezed(axis: -2).shape == [2, 3, 5])
        #expect(throws: TensorError.self) { try x.squeezed(axis: 1) }
        #expect(try x.flattened().shape == [2, 15])
        #expect(try x.flattened(from: 0).shape == [30])
        #expect(try x.flattened(from: 2).shape == [2, 3, 5])
        #expect(try x.flattened(from: -1).shape == [2, 3, 1, 5])
        try checkGradients("flatten", inputs: [GradInput([2, 3, 5])], op: { try $0[0].flattened().square() },
                           reference: { r in Ref(shape: [2, 15], data: r[0].data.map { $0 * $0 }) })
    }
}
