/// A 2-D convolution layer, `nn.Conv2d`: weight [out, in/groups, kh, kw], bias [out].
public final class Conv2d: Module, Layer {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: (Int, Int)
    public let padding: (Int, Int)
    public let dilation: (Int, Int)
    public let groups: Int

    /// Kaiming-normal (fan-out, ReLU gain) initialisation, as torchvision's ResNet and timm
    /// use for convolutions; bias zero.
    public init(_ inChannels: Int, _ outChannels: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1,
                bias: Bool = true, rng: inout RandomGenerator) {
        precondition(inChannels % groups == 0 && outChannels % groups == 0,
                     "Conv2d: groups \(groups) must divide in \(inChannels) and out \(outChannels)")
        let fanOut = outChannels / groups * kernel.0 * kernel.1
        let std = (2 / Float(fanOut)).squareRoot()
        weight = try! Tensor.randn([outChannels, inChannels / groups, kernel.0, kernel.1], std: std, using: &rng)
        weight.requiresGrad = true
        if bias {
            let b = try! Tensor.zeros([outChannels])
            b.requiresGrad = true
            self.bias = b
        } else {
            self.bias = nil
        }
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        super.init()
    }

    /// Square-kernel convenience: `Conv2d(3, 64, kernel: 3, stride: 2, padding: 1)`.
    public convenience init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                            dilation: Int = 1, groups: Int = 1, bias: Bool = true, rng: inout RandomGenerator) {
        self.init(inChannels, outChannels, kernel: (kernel, kernel), stride: (stride, stride), padding: (padding, padding),
                  dilation: (dilation, dilation), groups: groups, bias: bias, rng: &rng)
    }

    public var inChannels: Int { weight.shape[1] * groups }
    public var outChannels: Int { weight.shape[0] }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.conv2d(weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }

    /// `activation(bn(self(x)) + residual)` (no residual when nil). With gradients off and
    /// `bn` using its running statistics (inference), BatchNorm is folded into this
    /// convolution and the residual and a ReLU or SiLU into the same pass over the output, saving
    /// passes and activations; otherwise the layers run one after the other.
    public func callAsFunction(_ x: Tensor, batchNorm bn: BatchNorm2d, activation: Activation.Kind = .identity,
                               residual: Tensor? = nil) throws -> Tensor {
        guard !GradMode.enabled && !bn.usesBatchStatistics else {
            let y = try bn(self(x))
            return try activation.apply(residual.map { try y + $0 } ?? y)
        }
        // ReLU and SiLU are applied where the output is written; others as a separate op.
        let fused: ConvKernels.Epilogue.Activation = activation == .relu ? .relu : activation == .silu ? .silu : .identity
        let y = try x.conv2dBatchNormInference(weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation,
                                             groups: groups, runningMean: bn.runningMean, runningVar: bn.runningVar,
                                             scale: bn.weight, shift: bn.bias, eps: bn.eps, residual: residual,
                                             activation: fused)
        return fused != .identity ? y : try activation.apply(y)
    }
}
