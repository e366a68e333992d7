import Foundation
import Testing
import Framework

/// Inputs for a gradient check: shapes and how to draw their values.
public struct GradInput {
    public var shape: [Int]
    /// Draws one value; the default is uniform in [-1, 1]. Ops with kinks (relu, abs, max)
    /// pass a generator that keeps values away from them.
    public var draw: (inout RandomGenerator) -> Double = { Double($0.uniform()) * 2 - 1 }
    /// Whether to check the gradient with respect to this input.
    public var differentiable = true

    public init(_ shape: [Int], differentiable: Bool = true, draw: ((inout RandomGenerator) -> Double)? = nil) {
        self.shape = shape
        self.differentiable = differentiable
        if let draw { self.draw = draw }
    }
}

/// Values away from 0: for relu, abs, leaky-relu.
public func awayFromZero(_ rng: inout RandomGenerator) -> Double {
    let m = 0.1 + Double(rng.uniform()) * 0.9
    return rng.uniform() < 0.5 ? -m : m
}

/// Positive values in [0.2, 2]: for log, sqrt, pow, lgamma.
public func positive(_ rng: inout RandomGenerator) -> Double { 0.2 + Double(rng.uniform()) * 1.8 }

/// Checks an op in two ways against its Float64 reference:
/// 1. forward: the Float32 engine output equals the reference output;
/// 2. backward: the engine's gradient of L = Σ out·R (R a random cotangent) with respect to
///    each input equals the central finite difference of the *reference* L in Float64.
///
/// Values are drawn once and rounded to Float32 so both sides see the same inputs.
public func checkGradients(
    _ name: String,
    inputs: [GradInput],
    seed: UInt64 = 1,
    forwardTolerance: Double = 1e-4,
    gradTolerance: Double = 1e-3,
    step: Double = 1e-5,
    sourceLocation: SourceLocation = #_sourceLocation,
    op: ([Tensor]) throws -> Tensor,
    reference: ([Ref]) -> Ref
) throws {
    var rng = RandomGenerator(seed: seed)
    var refs: [Ref] = []
    var tensors: [Tensor] = []
    for input in inputs {
        let n = Shape.count(input.shape)!
        let values = (0..<n).map { _ in Double(Float(input.draw(&rng))) }
        refs.append(Ref(shape: input.shape, data: values))
        tensors.append(try Tensor(shape: input.shape, storage: values.map(Float.init), requiresGrad: input.differentiable))
    }

    // Forward agreement.
    let out = try op(tensors)
    let refOut = reference(refs)
    #expect(out.shape == refOut.shape, "\(name): output shape \(out.shape) vs reference \(refOut.shape)", sourceLocation: sourceLocation)
    guard out.shape == refOut.shape else { return }
    let outScale = max(1, refOut.data.map(abs).max() ?? 1)
    var worstForward = 0.0
    for (a, b) in zip(out.storage, refOut.data) { worstForward = max(worstForward, abs(Double(a) - b) / outScale) }
    #expect(worstForward <= forwardTolerance, "\(name): forward differs from the Float64 reference by \(worstForward) (relative to max |out|)", sourceLocation: sourceLocation)

    // Analytic gradient of L = Σ out·R.
    let cot = (0..<out.count).map { _ in Double(Float(Double(rng.uniform()) * 2 - 1)) }
    try out.backward(Tensor(shape: out.shape, storage: cot.map(Float.init)))

    func loss(_ rs: [Ref]) -> Double {
        let o = reference(rs)
        var s = 0.0
        for i in 0..<o.count { s += o.data[i] * cot[i] }
        return s
    }

    for (k, input) in inputs.enumerated() where input.differentiable {
        guard let g = tensors[k].grad else {
            Issue.record("\(name): no gradient reached input \(k)", sourceLocation: sourceLocation)
            continue
        }
        #expect(g.shape == input.shape, "\(name): gradient shape \(g.shape) for input \(k) of shape \(input.shape)", sourceLocation: sourceLocation)
        var numeric = [Double](repeating: 0, count: refs[k].count)
        for i in 0..<refs[k].count {
            var plus = refs, minus = refs
            let h = step * max(1, abs(refs[k].data[i]))
            plus[k].data[i] += h
            minus[k].data[i] -= h
            numeric[i] = (loss(plus) - loss(minus)) / (2 * h)
        }
        let scale = max(1, numeric.map(abs).max() ?? 1)
        var worst = 0.0, worstIndex = 0
        for i in 0..<numeric.count {
            let err = abs(Double(g.storage[i]) - numeric[i]) / scale
            if err > worst { worst = err; worstIndex = i }
        }
        #expect(worst <= gradTolerance, "\(name): gradient of input \(k) differs from finite differences by \(worst) at element \(worstIndex) (analytic \(g.storage[worstIndex]), numeric \(numeric[worstIndex]))", sourceLocation: sourceLocation)
    }
}
