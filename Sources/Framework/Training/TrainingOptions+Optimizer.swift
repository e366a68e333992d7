/// Building the optimizer, learning-rate schedule and loaders the options describe, for any
/// task model.
extension TrainingOptions {
    /// The optimizer over the model's parameter groups (layer decay only when training the
    /// whole network).
    public func makeOptimizer(for model: any TaskModel) -> Optimizer {
        makeOptimizer(groups: model.parameterGroups(learningRate: learningRate,
                                                    layerDecay: trainingMode == .full ? layerDecay : 1,
                                                    weightDecay: weightDecay))
    }

    /// The optimizer kind the options name, over explicit groups (e.g. a GAN's generator).
    public func makeOptimizer(groups: [ParameterGroup]) -> Optimizer {
        switch optimizer {
        case .adamw: return Adam.adamW(groups: groups)
        case .adam: return Adam(groups: groups)
        case .sgd: return SGD(groups: groups, momentum: momentum)
        }
    }

    /// The schedule over `epochs` epochs of `stepsPerEpoch` steps (nil: constant).
    public func makeSchedule(stepsPerEpoch: Int) -> LearningRateSchedule? {
        switch schedule {
        case .cosine: return CosineWithWarmup(warmupSteps: warmupEpochs * stepsPerEpoch, totalSteps: stepsPerEpoch * epochs)
        case .step: return StepDecay(stepSize: stepEpochs * stepsPerEpoch, gamma: gamma)
        case .constant: return nil
        }
    }

    /// Loader options for validation, test and prediction passes: no shuffling, every
    /// example, batches of at least 64.
    public func evaluationLoaderOptions(seed: UInt64) -> DataLoaderOptions {
        DataLoaderOptions(batchSize: max(64, batchSize), shuffle: false, dropLast: false, seed: seed,
                          workers: workers, cacheMegabytes: cacheMegabytes)
    }
}
