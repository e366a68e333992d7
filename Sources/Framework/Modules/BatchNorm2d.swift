/// Batch normalisation, `nn.BatchNorm2d` (also works on [N, C]): batch statistics in train
/// mode, running statistics in eval mode or when frozen for finetuning.
public final class BatchNorm2d: Module, Layer, StatisticsFreezable {
    public let weight: Tensor
    public let bias: Tensor
    public let runningMean: Tensor
    public let runningVar: Tensor
    /// Stored as I64 by PyTorch; kept here as a Float scalar and written back as I64.
    public let numBatchesTracked: Tensor
    public var momentum: Float
    public var eps: Float
    /// Normalise with running statistics and leave them untouched, even in train mode.
    public var statisticsFrozen = false

    override public var keyNames: [String: String] {
        ["runningMean": "running_mean", "runningVar": "running_var", "numBatchesTracked": "num_batches_tracked"]
    }
    override public var bufferKeys: Set<String> { ["running_mean", "running_var", "num_batches_tracked"] }

    public init(_ channels: Int, eps: Float = 1e-5, momentum: Float = 0.1) {
        weight = try! Tensor.ones([channels]); weight.requiresGrad = true
        bias = try! Tensor.zeros([channels]); bias.requiresGrad = true
        runningMean = try! Tensor.zeros([channels])
        runningVar = try! Tensor.ones([channels])
        numBatchesTracked = Tensor.scalar(0)
        self.eps = eps
        self.momentum = momentum
        super.init()
    }

    /// Whether a call normalises with the batch's statistics (training, not frozen) rather
    /// than the running ones.
    public var usesBatchStatistics: Bool { training && !statisticsFrozen }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let useBatch = usesBatchStatistics
        if useBatch {
            numBatchesTracked.storage[0] += 1
        }
        return try x.batchNorm(runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias,
                               training: useBatch, momentum: momentum, eps: eps)
    }
}
