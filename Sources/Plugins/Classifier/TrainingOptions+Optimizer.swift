import Framework

/// Building the optimizer and learning-rate schedule the options describe, shared by every
/// task that trains a `ClassifierModel`.
extension TrainingOptions {
    /// The optimizer over the model's parameter groups (layer decay only when training the
    /// whole network).
    func makeOptimizer(for model: ClassifierModel) -> Optimizer {
        let groups = model.parameterGroups(learningRate: learningRate, layerDecay: trainingMode == .full ? layerDecay : 1,
                                           weightDecay: weightDecay)
        switch optimizer {
        case .adamw: return Adam.adamW(groups: groups)
        case .adam: return Adam(groups: groups)
        case .sgd: return SGD(groups: groups, momentum: momentum)
        }
    }

    /// The schedule over `epochs` epochs of `stepsPerEpoch` steps (nil: constant).
    func makeSchedule(stepsPerEpoch: Int) -> LearningRateSchedule? {
        switch schedule {
        case .cosine: return CosineWithWarmup(warmupSteps: warmupEpochs * stepsPerEpoch, totalSteps: stepsPerEpoch * epochs)
        case .step: return StepDecay(stepSize: stepEpochs * stepsPerEpoch, gamma: gamma)
        case .constant: return nil
        }
    }
}
