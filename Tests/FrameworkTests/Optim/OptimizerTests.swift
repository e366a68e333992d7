import Foundation
import Testing
@testable import Framework

/// Optimizer trajectories against values computed by hand from the PyTorch update rules
/// (torch.optim docs), for one parameter with a fixed gradient sequence.
@Suite("Optimizers, schedules and clipping")
struct OptimizerTests {
    /// Runs `steps` updates of a 1-element parameter starting at 1 with gradient 2·p (the
    /// gradient of p²), returning the trajectory.
    func trajectory(_ make: (Tensor) -> Optimizer, steps: Int = 3) -> [Float] {
        let p = Tensor(unchecked: [1], storage: [1])
        p.requiresGrad = true
        let opt = make(p)
        var values: [Float] = []
        for _ in 0..<steps {
            opt.zeroGrad()
            p.grad = Tensor(unchecked: [1], storage: [2 * p.storage[0]])
            opt.step()
            values.append(p.storage[0])
        }
        return values
    }

    @Test func sgdMomentumAndNesterov() {
        // Plain SGD lr 0.1: p ← p − 0.1·2p = 0.8p.
        let plain = trajectory { SGD(parameters: [$0], learningRate: 0.1) }
        #expect(zip(plain, [0.8, 0.64, 0.512]).allSatisfy { abs($0 - Float($1)) < 1e-6 })
        // Momentum 0.9: b1 = g1 = 2 → p = 0.8; g2 = 1.6, b2 = 0.9·2 + 1.6 = 3.4 → p = 0.46;
        // g3 = 0.92, b3 = 3.06 + 0.92 = 3.98 → p = 0.062.
        let mom = trajectory { SGD(parameters: [$0], learningRate: 0.1, momentum: 0.9) }
        #expect(zip(mom, [0.8, 0.46, 0.062]).allSatisfy { abs($0 - Float($1)) < 1e-5 })
        // Nesterov: d = g + 0.9·b. Step 1: b = 2, d = 3.8 → p = 0.62. Step 2: g = 1.24,
        // b = 1.8 + 1.24 = 3.04, d = 1.24 + 2.736 = 3.976 → p = 0.2224.
        let nest = trajectory({ SGD(parameters: [$0], learningRate: 0.1, momentum: 0.9, nesterov: true) }, steps: 2)
        #expect(zip(nest, [0.62, 0.2224]).allSatisfy { abs($0 - Float($1)) < 1e-5 })
        // Weight decay 0.5 adds 0.5·p: g = 2.5p → p = 0.75 after one step.
        let wd = trajectory({ SGD(parameters: [$0], learningRate: 0.1, weightDecay: 0.5) }, steps: 1)
        #expect(abs(wd[0] - 0.75) < 1e-6)
    }

    @Test func adamAndAdamW() {
        // Adam's first step moves by lr·sign(g) (bias-corrected m/√v = ±1, up to eps).
        let adam = trajectory({ Adam(groups: [ParameterGroup(parameters: [$0], learningRate: 0.1)]) }, steps: 1)
        #expect(abs(adam[0] - 0.9) < 1e-5)
        // Second step: g2 = 1.8; m = 0.1·2·0.9 + 0.1·1.8 = 0.36, v = 0.999·0.004·… computed in Double:
        var m = 0.0, v = 0.0, p = 1.0
        for t in 1...3 {
            let g = 2 * p
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            let mh = m / (1 - pow(0.9, Double(t))), vh = v / (1 - pow(0.999, Double(t)))
            p -= 0.1 * mh / (vh.squareRoot() + 1e-8)
        }
        let three = trajectory { Adam(groups: [ParameterGroup(parameters: [$0], learningRate: 0.1)]) }
        #expect(abs(Double(three[2]) - p) < 1e-5)
        // AdamW decays the weight first: p = 1·(1 − 0.1·0.5) − 0.1 = 0.85; Adam with L2 0.5
        // sees g = 2.5 and still moves by lr: 0.9.
        let adamw = trajectory({ Adam.adamW(groups: [ParameterGroup(parameters: [$0], learningRate: 0.1, weightDecay: 0.5)]) }, steps: 1)
        #expect(abs(adamw[0] - 0.85) < 1e-5)
        let l2 = trajectory({ Adam(groups: [ParameterGroup(parameters: [$0], learningRate: 0.1, weightDecay: 0.5)]) }, steps: 1)
        #expect(abs(l2[0] - 0.9) < 1e-5)
    }

    /// A parameter large enough that the update is split among threads follows the same
    /// per-element rule as a one-element one, step after step (the state is carried).
    @Test func largeParametersMatchTheOneElementTrajectory() {
        let n = 300_001
        for make in [{ (p: Tensor) -> Optimizer in SGD(parameters: [p], learningRate: 0.1, momentum: 0.9, nesterov: true) },
                     { (p: Tensor) -> Optimizer in Adam.adamW(groups: [ParameterGroup(parameters: [p], learningRate: 0.1, weightDecay: 0.5)]) }] {
            let single = trajectory(make)
            let p = Tensor(unchecked: [n], storage: [Float](repeating: 1, count: n))
            p.requiresGrad = true
            let opt = make(p)
            for step in 0..<3 {
                opt.zeroGrad()
                p.grad = Tensor(unchecked: [n], storage: p.storage.map { 2 * $0 })
                opt.step()
                #expect(p.storage.allSatisfy { $0 == single[step] }, "step \(step)")
            }
        }
    }

    @Test func parameterGroupsHaveTheirOwnRates() {
        let a = Tensor(unchecked: [1], storage: [1]), b = Tensor(unchecked: [1], storage: [1])
        a.requiresGrad = true; b.requiresGrad = true
        let opt = SGD(groups: [ParameterGroup(name: "head", parameters: [a], learningRate: 0.1),
                               ParameterGroup(name: "stem", parameters: [b], learningRate: 0.01)])
        opt.learningRateMultiplier = 0.5
        a.grad = Tensor.scalar(1).reshapedUnchecked([1]); b.grad = Tensor.scalar(1).reshapedUnchecked([1])
        opt.step()
        #expect(abs(a.storage[0] - 0.95) < 1e-7)
        #expect(abs(b.storage[0] - 0.995) < 1e-7)
    }

    @Test func stateRoundTripResumesIdentically() throws {
        func run(split: Bool) throws -> Float {
            let p = Tensor(unchecked: [2], storage: [1, -1]); p.requiresGrad = true
            var opt = Adam(groups: [ParameterGroup(parameters: [p], learningRate: 0.05)])
            for i in 0..<6 {
                if split && i == 3 {
                    let saved = opt.stateDict()
                    opt = Adam(groups: [ParameterGroup(parameters: [p], learningRate: 0.05)])
                    try opt.load(stateDict: saved)
                }
                p.grad = Tensor(unchecked: [2], storage: p.storage.map { 2 * $0 })
                opt.step()
            }
            return p.storage[0] + p.storage[1] * 10
        }
        #expect(try run(split: false) == run(split: true))
    }

    @Test func schedules() {
        let c = CosineWithWarmup(warmupSteps: 4, totalSteps: 14)
        #expect(c.multiplier(atStep: 0) == 0.25)
        #expect(c.multiplier(atStep: 3) == 1)
        #expect(abs(c.multiplier(atStep: 9) - 0.5) < 1e-6)
        #expect(abs(c.multiplier(atStep: 14)) < 1e-6)
        let s = StepDecay(stepSize: 10, gamma: 0.1)
        #expect(s.multiplier(atStep: 9) == 1)
        #expect(abs(s.multiplier(atStep: 25) - 0.01) < 1e-7)
    }

    @Test func clipping() {
        let a = Tensor(unchecked: [2], storage: [0, 0]), b = Tensor(unchecked: [1], storage: [0])
        a.grad = Tensor(unchecked: [2], storage: [3, 0]); b.grad = Tensor(unchecked: [1], storage: [4])
        let norm = GradientClipping.clipGlobalNorm([a, b], maxNorm: 1)
        #expect(abs(norm - 5) < 1e-6)
        #expect(abs(a.grad!.storage[0] - 0.6) < 1e-5 && abs(b.grad!.storage[0] - 0.8) < 1e-5)
        // Below the threshold nothing changes.
        GradientClipping.clipGlobalNorm([a, b], maxNorm: 10)
        #expect(abs(a.grad!.storage[0] - 0.6) < 1e-5)
    }
}

extension Tensor {
    func reshapedUnchecked(_ s: [Int]) -> Tensor { Tensor(unchecked: s, storage: storage) }
}
