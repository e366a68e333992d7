/// Per-channel input standardisation, `(x − mean) / std`, as torchvision's `Normalize`: the
/// statistics are buffers (`mean`, `std`), so a checkpoint carries the normalisation its
/// weights were trained with and a reloaded run sees the same pixels.
public final class InputNormalization: Module, Layer {
    public let mean: Tensor
    public let std: Tensor

    override public var bufferKeys: Set<String> { ["mean", "std"] }

    /// Identity statistics (mean 0, std 1) until `set(mean:std:)` or a checkpoint fills them.
    public init(channels: Int) {
        mean = try! Tensor.zeros([channels])
        std = try! Tensor.ones([channels])
        super.init()
    }

    /// A layer holding `statistics`.
    public convenience init(_ statistics: ChannelStatistics) throws {
        self.init(channels: statistics.mean.count)
        try set(mean: statistics.mean, std: statistics.std)
    }

    public var channels: Int { mean.count }

    /// Sets the statistics; every std must be positive and finite.
    public func set(mean m: [Float], std s: [Float]) throws {
        guard m.count == channels, s.count == channels else {
            throw TensorError.invalidArgument(op: "InputNormalization",
                                              message: "expected \(channels) means and stds, got \(m.count) and \(s.count)")
        }
        guard s.allSatisfy({ $0 > 0 && $0.isFinite }), m.allSatisfy(\.isFinite) else {
            throw TensorError.invalidArgument(op: "InputNormalization", message: "std must be positive and finite, got \(s) (mean \(m))")
        }
        mean.storage = m
        std.storage = s
    }

    /// Eval-mode BatchNorm with these statistics is exactly the standardisation (and
    /// differentiable with respect to the input, for saliency maps).
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let variance = try Tensor(shape: [channels], storage: std.storage.map { $0 * $0 })
        return try x.batchNorm(runningMean: mean, runningVar: variance, weight: nil, bias: nil, training: false, eps: 0)
    }
}
