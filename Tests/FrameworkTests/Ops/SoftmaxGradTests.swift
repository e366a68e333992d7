import TestSupport
import Foundation
import Testing
@testable import Framework

/// Naive softmax or log-softmax along `axis`, in Float64.
func refSoftmax(_ x: Ref, axis: Int, log: Bool) -> Ref {
    var r = x
    for idx in Ref.indices(x.shape) where idx[axis] == 0 {
        let line = (0..<x.shape[axis]).map { j -> [Int] in var i = idx; i[axis] = j; return i }
        let total = line.reduce(0.0) { $0 + Foundation.exp(x[$1]) }
        for i in line { r[i] = log ? x[i] - Foundation.log(total) : Foundation.exp(x[i]) / total }
    }
    return r
}

@Suite("Softmax gradients")
struct SoftmaxGradTests {
    @Test("softmax and logSoftmax along each axis", arguments: [0, 1, 2, -1])
    func softmax(_ axis: Int) throws {
        let norm = axis < 0 ? axis + 3 : axis
        try checkGradients("softmax axis \(axis)", inputs: [GradInput([3, 4, 5], draw: symmetric(3))],
                           op: { try $0[0].softmax(axis: axis) }, reference: { refSoftmax($0[0], axis: norm, log: false) })
        try checkGradients("logSoftmax axis \(axis)", inputs: [GradInput([3, 4, 5], draw: symmetric(3))],
                           op: { try $0[0].logSoftmax(axis: axis) }, reference: { refSoftmax($0[0], axis: norm, log: true) })
    }

    @Test func defaultAxisIsTheLast() throws {
        let x = try Tensor(shape: [2, 3], storage: [0, 0, 0, 1, 2, 3])
        let s = try x.softmax()
        #expect(Swift.abs(s.storage[0] - 1.0 / 3) < 1e-7)
        #expect(Swift.abs(s.storage[3..<6].reduce(0, +) - 1) < 1e-6)
        #expect(try x.logSoftmax().storage == (try x.logSoftmax(axis: 1)).storage)
    }

    @Test func stableForHugeLogits() throws {
        let x = try Tensor(shape: [1, 3], storage: [1000, 1000, -1000], requiresGrad: true)
        let s = try x.softmax()
        #expect(s.storage == [0.5, 0.5, 0])
        let ls = try x.logSoftmax()
        // 1000 − (1000 + ln 2) in Float: ln 2 is resolved to the 6e-5 spacing of floats near 1000.
        #expect(Swift.abs(ls.storage[0] + Float(Foundation.log(2.0))) < 1e-4)
        #expect(Swift.abs(ls.storage[2] - (-2000 - Float(Foundation.log(2.0)))) < 1e-3)
        try ls.sum().backward()
        #expect(x.grad!.storage.allSatisfy { $0.isFinite })
    }

    @Test func largeBatchesTakeTheParallelPath() throws {
        var rng = RandomGenerator(seed: 4)
        let x = try Tensor.randn([4099, 17], using: &rng)
        let s = try x.softmax(axis: 1)
        for row in [0, 2000, 4098] {
            let ref = refSoftmax(Ref(shape: [17], data: x.storage[row * 17..<(row + 1) * 17].map(Double.init)), axis: 0, log: false)
            for j in 0..<17 { #expect(Swift.abs(Double(s.storage[row * 17 + j]) - ref.data[j]) < 1e-6) }
        }
    }
}
