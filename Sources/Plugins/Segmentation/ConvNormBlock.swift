import Framework

/// A convolution without bias, BatchNorm and an activation: the unit both U-Nets are built
/// from. In inference the BatchNorm (and a ReLU) fold into the convolution.
final class ConvNormBlock: Module, Layer {
    /// What follows the normalisation.
    enum Activation: Sendable { case relu, mish, none }

    let conv: Conv2d
    let bn: BatchNorm2d
    let activation: Activation

    /// A `kernel`×`kernel` convolution with "same" padding.
    init(_ inChannels: Int, _ outChannels: Int, kernel: Int = 3, activation: Activation, rng: inout RandomGenerator) {
        conv = Conv2d(inChannels, outChannels, kernel: kernel, padding: kernel / 2, bias: false, rng: &rng)
        bn = BatchNorm2d(outChannels)
        self.activation = activation
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        switch activation {
        case .relu: return try conv(x, batchNorm: bn, activation: .relu)
        case .mish: return try conv(x, batchNorm: bn).mish()
        case .none: return try conv(x, batchNorm: bn)
        }
    }
}
