import TestSupport
import Foundation
import Testing
@testable import Framework

@Suite("Batch, layer and group normalisation")
struct NormGradTests {
    // MARK: Batch norm

    @Test("batchNorm in training: input, weight and bias gradients", arguments: [[5, 3], [3, 2, 3, 5], [2, 3, 1, 7]])
    func batchNormTraining(_ shape: [Int]) throws {
        let c = shape[1]
        try checkGradients("batchNorm train \(shape)", inputs: [GradInput(shape), GradInput([c]), GradInput([c])],
                           op: { t in
                               let rm = try Tensor.zeros([c]), rv = try Tensor.ones([c])
                               return try t[0].batchNorm(runningMean: rm, runningVar: rv, weight: t[1], bias: t[2], training: true)
                           },
                           reference: { r in refNorm(r[0], groupOf: { [$0[1]] }, paramOf: { [$0[1]] }, weight: r[1], bias: r[2], eps: 1e-5) })
    }

    @Test("batchNorm in eval uses the running statistics", arguments: [[4, 3], [2, 3, 3, 2]])
    func batchNormEval(_ shape: [Int]) throws {
        let c = shape[1]
        let means = (0..<c).map { 0.3 * Double($0) - 0.2 }, vars = (0..<c).map { 0.5 + 0.4 * Double($0) }
        try checkGradients("batchNorm eval \(shape)", inputs: [GradInput(shape), GradInput([c]), GradInput([c])],
                           op: { t in
                               let rm = try Tensor(shape: [c], storage: means.map(Float.init))
                               let rv = try Tensor(shape: [c], storage: vars.map(Float.init))
                               return try t[0].batchNorm(runningMean: rm, runningVar: rv, weight: t[1], bias: t[2], training: false)
                           },
                           reference: { r in
                               refNorm(r[0], groupOf: { [$0[1]] }, paramOf: { [$0[1]] }, weight: r[1], bias: r[2], eps: 1e-5,
                                       fixed: { (Double(Float(means[$0[0]])), Double(Float(vars[$0[0]]))) })
                           })
    }

    @Test func batchNormWithoutAffine() throws {
        try checkGradients("batchNorm train, no weight or bias", inputs: [GradInput([3, 2, 2, 3])],
                           op: { t in
                               try t[0].batchNorm(runningMean: try .zeros([2]), runningVar: try .ones([2]), weight: nil, bias: nil, training: true)
                           },
                           reference: { r in refNorm(r[0], groupOf: { [$0[1]] }, paramOf: { [$0[1]] }, weight: nil, bias: nil, eps: 1e-5) })
    }

    /// Channel 0 holds 1, 2, 3, 4 (mean 2.5, biased variance 1.25, unbiased 5/3); channel 1
    /// holds 0, 0, 4, 8 (mean 3, biased variance 11, unbiased 44/3).
    @Test func runningStatisticsUpdateLikePyTorch() throws {
        let x = try Tensor(shape: [2, 2, 1, 2], storage: [1, 2, 0, 0, 3, 4, 4, 8])
        let rm = try Tensor(shape: [2], storage: [0, 1]), rv = try Tensor(shape: [2], storage: [1, 2])
        let y = try x.batchNorm(runningMean: rm, runningVar: rv, weight: nil, bias: nil, training: true, momentum: 0.1)
        expectClose(rm.storage, [0.25, 0.9 * 1 + 0.3], tolerance: 1e-6)
        expectClose(rv.storage, [0.9 * 1 + 0.1 * 5 / 3, 0.9 * 2 + 0.1 * 44 / 3], tolerance: 1e-6)
        let s0 = 1 / (1.25 + 1e-5).squareRoot(), s1 = 1 / (11 + 1e-5).squareRoot()
        expectClose(y.storage, [-1.5 * s0, -0.5 * s0, -3 * s1, -3 * s1, 0.5 * s0, 1.5 * s0, 1 * s1, 5 * s1], tolerance: 1e-6)

        // A second step with another momentum folds in the same batch statistics again.
        _ = try x.batchNorm(runningMean: rm, runningVar: rv, weight: nil, bias: nil, training: true, momentum: 0.5)
        expectClose(rm.storage, [0.5 * 0.25 + 0.5 * 2.5, 0.5 * 1.2 + 0.5 * 3], tolerance: 1e-6)

        // Eval reads the buffers and leaves them alone.
        let before = (rm.storage, rv.storage)
        let e = try x.batchNorm(runningMean: rm, runningVar: rv, weight: nil, bias: nil, training: false)
        #expect(rm.storage == before.0 && rv.storage == before.1)
        expectClose([e.storage[0]], [(1 - Double(rm.storage[0])) / (Double(rv.storage[0]) + 1e-5).squareRoot()], tolerance: 1e-6)
    }

    // MARK: Layer and group norm

    @Test("layerNorm over one and two trailing axes", arguments: [([3, 5], 1), ([2, 3, 4], 2), ([2, 2, 7], 1), ([5], 1)])
    func layerNorm(_ args: ([Int], Int)) throws {
        let (shape, k) = args
        let trailing = Array(shape.suffix(k))
        try checkGradients("layerNorm \(shape) over \(k)", inputs: [GradInput(shape), GradInput(trailing), GradInput(trailing)],
                           op: { t in try t[0].layerNorm(weight: t[1], bias: t[2], eps: 1e-6, axes: k) },
                           reference: { r in
                               refNorm(r[0], groupOf: { Array($0.dropLast(k)) }, paramOf: { Array($0.suffix(k)) },
                                       weight: r[1], bias: r[2], eps: 1e-6)
                           })
    }

    @Test("layerNorm2d normalises over channels at each pixel", arguments: [[2, 3, 2, 3], [1, 5, 3, 1]])
    func layerNorm2d(_ shape: [Int]) throws {
        let c = shape[1]
        try checkGradients("layerNorm2d \(shape)", inputs: [GradInput(shape), GradInput([c]), GradInput([c])],
                           op: { t in try t[0].layerNorm2d(weight: t[1], bias: t[2]) },
                           reference: { r in
                               refNorm(r[0], groupOf: { [$0[0]] + $0.dropFirst(2) }, paramOf: { [$0[1]] }, weight: r[1], bias: r[2], eps: 1e-6)
                           })
    }

    @Test("groupNorm with 1, 2 and C groups", arguments: [1, 2, 4])
    func groupNorm(_ groups: Int) throws {
        let shape = [2, 4, 3, 2]
        try checkGradients("groupNorm \(groups) groups", inputs: [GradInput(shape), GradInput([4]), GradInput([4])],
                           op: { t in try t[0].groupNorm(groups: groups, weight: t[1], bias: t[2]) },
                           reference: { r in
                               refNorm(r[0], groupOf: { [$0[0], $0[1] / (4 / groups)] }, paramOf: { [$0[1]] },
                                       weight: r[1], bias: r[2], eps: 1e-5)
                           })
    }

    @Test func groupNormWithoutAffine() throws {
        try checkGradients("groupNorm no affine", inputs: [GradInput([3, 6, 1, 5])],
                           op: { t in try t[0].groupNorm(groups: 3, weight: nil, bias: nil) },
                           reference: { r in
                               refNorm(r[0], groupOf: { [$0[0], $0[1] / 2] }, paramOf: { [$0[1]] }, weight: nil, bias: nil, eps: 1e-5)
                           })
    }

    // MARK: Large inputs (parallel chunks)

    /// Tensors big enough to be split into parallel chunks (3 samples of 8 channels: the
    /// chunk boundary falls inside a sample): the forward matches the reference
    /// and the input gradient obeys the identities of a normalisation backward — per group
    /// Σdx = 0 and Σdx·x̂ = 0 (no weight) — while dBias is Σdy per parameter.
    @Test("large inputs take the parallel path", arguments: ["batch", "group", "layer", "layer2d"])
    func largeInputs(_ kind: String) throws {
        let shape = [3, 8, 45, 61]
        var rng = RandomGenerator(seed: 7)
        let x = try Tensor.randn(shape, mean: 3, std: 2, using: &rng)
        x.requiresGrad = true
        let params = kind == "layer" ? [61] : [8]
        let bias = try Tensor.zeros(params)
        bias.requiresGrad = true
        let groupOf: ([Int]) -> [Int], paramOf: ([Int]) -> [Int]
        let y: Tensor
        switch kind {
        case "batch":
            y = try x.batchNorm(runningMean: try .zeros([8]), runningVar: try .ones([8]), weight: nil, bias: bias, training: true)
            groupOf = { [$0[1]] }; paramOf = { [$0[1]] }
        case "group":
            y = try x.groupNorm(groups: 2, weight: nil, bias: bias)
            groupOf = { [$0[0], $0[1] / 4] }; paramOf = { [$0[1]] }
        case "layer":
            y = try x.layerNorm(weight: nil, bias: bias, eps: 1e-6, axes: 1)
            groupOf = { Array($0.dropLast()) }; paramOf = { [$0[3]] }
        default:
            y = try x.layerNorm2d(weight: nil, bias: bias)
            groupOf = { [$0[0], $0[2], $0[3]] }; paramOf = { [$0[1]] }
        }
        let eps = kind.hasPrefix("layer") ? 1e-6 : 1e-5
        let ref = refNorm(Ref(x), groupOf: groupOf, paramOf: paramOf, weight: nil, bias: nil, eps: eps)
        let worst = zip(y.storage, ref.data).map { abs(Double($0) - $1) }.max()!
        #expect(worst < 1e-4, "\(kind): forward differs by \(worst)")

        let dy = try Tensor.randn(shape, using: &rng)
        try y.backward(dy)
        let dx = try #require(x.grad), db = try #require(bias.grad)
        var sumDx: [[Int]: Double] = [:], sumDxXhat: [[Int]: Double] = [:], sumDy: [[Int]: Double] = [:]
        for (i, idx) in Ref.indices(shape).enumerated() {
            let g = groupOf(idx)
            sumDx[g, default: 0] += Double(dx.storage[i])
            sumDxXhat[g, default: 0] += Double(dx.storage[i]) * ref.data[i]
            sumDy[paramOf(idx), default: 0] += Double(dy.storage[i])
        }
        #expect(sumDx.values.map(abs).max()! < 2e-3, "\(kind): Σdx per group is not 0")
        #expect(sumDxXhat.values.map(abs).max()! < 2e-3, "\(kind): Σdx·x̂ per group is not 0")
        for (p, s) in sumDy { #expect(abs(Double(db.storage[p[0]]) - s) < 1e-3 * max(1, abs(s))) }
    }

    // MARK: Errors

    @Test func errorsNameTheShapes() throws {
        let x = try Tensor.zeros([2, 3, 4, 4])
        func message(_ body: () throws -> Tensor) -> String {
            do { _ = try body(); return "" } catch { return "\(error)" }
        }
        let wrongStats = message { try x.batchNorm(runningMean: try .zeros([4]), runningVar: try .ones([3]), weight: nil, bias: nil, training: true) }
        #expect(wrongStats.contains("running_mean") && wrongStats.contains("[2, 3, 4, 4]") && wrongStats.contains("[4]"))
        let wrongWeight = message { try x.batchNorm(runningMean: try .zeros([3]), runningVar: try .ones([3]), weight: try .ones([5]), bias: nil, training: false) }
        #expect(wrongWeight.contains("weight") && wrongWeight.contains("[5]") && wrongWeight.contains("[2, 3, 4, 4]"))
        let single = message { try Tensor.zeros([1, 3]).batchNorm(runningMean: try .zeros([3]), runningVar: try .ones([3]), weight: nil, bias: nil, training: true) }
        #expect(single.contains("more than one value per channel") && single.contains("[1, 3]"))
        let groups = message { try x.groupNorm(groups: 2, weight: nil, bias: nil) }
        #expect(groups.contains("3 channels") && groups.contains("2 groups") && groups.contains("[2, 3, 4, 4]"))
        let ln = message { try x.layerNorm(weight: try .ones([4]), bias: try .zeros([3, 4]), axes: 2) }
        #expect(ln.contains("weight") && ln.contains("[4, 4]") && ln.contains("[4]"))
        let ln2 = message { try x.layerNorm2d(weight: nil, bias: try .zeros([4])) }
        #expect(ln2.contains("bias") && ln2.contains("[3]") && ln2.contains("[4]"))
        let axes = message { try x.layerNorm(weight: nil, bias: nil, axes: 5) }
        #expect(axes.contains("last 5 axes") && axes.contains("[2, 3, 4, 4]"))
        let rank1 = message { try Tensor.zeros([6]).groupNorm(groups: 1, weight: nil, bias: nil) }
        #expect(rank1.contains("[N, C, …]") && rank1.contains("[6]"))
    }
}

/// Naive normalisation: elements with equal `groupOf(index)` share a mean and biased
/// variance (or the `fixed` ones), and `paramOf(index)` picks their weight and bias.
func refNorm(_ x: Ref, groupOf: ([Int]) -> [Int], paramOf: ([Int]) -> [Int], weight: Ref?, bias: Ref?, eps: Double,
             fixed: (([Int]) -> (Double, Double))? = nil) -> Ref {
    let indices = Ref.indices(x.shape)
    var members: [[Int]: [Double]] = [:]
    for (i, idx) in indices.enumerated() { members[groupOf(idx), default: []].append(x.data[i]) }
    var stats: [[Int]: (Double, Double)] = [:]
    for (key, values) in members {
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        stats[key] = fixed?(key) ?? (mean, variance)
    }
    var out = x
    for (i, idx) in indices.enumerated() {
        let (mean, variance) = stats[groupOf(idx)]!
        let p = paramOf(idx)
        out.data[i] = (x.data[i] - mean) / (variance + eps).squareRoot() * (weight?[p] ?? 1) + (bias?[p] ?? 0)
    }
    return out
}

func expectClose(_ actual: [Float], _ expected: [Double], tolerance: Double,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    for (a, e) in zip(actual, expected) {
        #expect(abs(Double(a) - e) <= tolerance * max(1, abs(e)), "\(a) vs expected \(e)", sourceLocation: sourceLocation)
    }
}
