import Foundation

/// A learning-rate multiplier as a function of the optimizer step.
public protocol LearningRateSchedule {
    func multiplier(atStep step: Int) -> Float
}

/// Linear warmup from `warmupStartFactor` to 1 over `warmupSteps`, then a half cosine down
/// to `minFactor` at `totalSteps` (and flat after).
public struct CosineWithWarmup: LearningRateSchedule {
    public var warmupSteps: Int
    public var totalSteps: Int
    public var minFactor: Float
    public var warmupStartFactor: Float

    public init(warmupSteps: Int, totalSteps: Int, minFactor: Float = 0, warmupStartFactor: Float = 0) {
        self.warmupSteps = max(0, warmupSteps)
        self.totalSteps = max(1, totalSteps)
        self.minFactor = minFactor
        self.warmupStartFactor = warmupStartFactor
    }

    public func multiplier(atStep step: Int) -> Float {
        if step < warmupSteps {
            let f = Float(step + 1) / Float(warmupSteps)
            return warmupStartFactor + (1 - warmupStartFactor) * f
        }
        let span = max(1, totalSteps - warmupSteps)
        let progress = min(1, Float(step - warmupSteps) / Float(span))
        return minFactor + (1 - minFactor) * 0.5 * (1 + Float(cos(Double.pi * Double(progress))))
    }
}

/// Multiplies by `gamma` every `stepSize` steps (`torch.optim.lr_scheduler.StepLR`).
public struct StepDecay: LearningRateSchedule {
    public var stepSize: Int
    public var gamma: Float

    public init(stepSize: Int, gamma: Float = 0.1) {
        self.stepSize = max(1, stepSize)
        self.gamma = gamma
    }

    public func multiplier(atStep step: Int) -> Float {
        Float(pow(Double(gamma), Double(step / stepSize)))
    }
}
