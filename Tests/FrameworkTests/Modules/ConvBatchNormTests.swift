import Testing
@testable import Framework

/// Inference folds BatchNorm into the convolution before it and a ReLU into the same pass;
/// the result must be the three layers' result, and training must not be touched.
@Suite("Conv → BatchNorm → activation fusion at inference")
struct ConvBatchNormTests {
    struct Case: Sendable, CustomStringConvertible {
        var input: [Int], cout: Int, kernel: Int, stride: Int, padding: Int, groups: Int, bias: Bool
        var description: String { "\(input) → \(cout), k\(kernel) s\(stride) p\(padding) g\(groups)\(bias ? " +bias" : "")" }
    }

    static let cases: [Case] = [
        Case(input: [3, 5, 6, 6], cout: 8, kernel: 3, stride: 1, padding: 1, groups: 1, bias: false),   // shared GEMM
        Case(input: [2, 4, 33, 32], cout: 6, kernel: 1, stride: 1, padding: 0, groups: 1, bias: true),  // direct 1×1
        Case(input: [2, 3, 40, 30], cout: 5, kernel: 3, stride: 1, padding: 1, groups: 1, bias: false), // per-image GEMM
        Case(input: [2, 6, 9, 9], cout: 6, kernel: 3, stride: 2, padding: 1, groups: 6, bias: false),   // depthwise
        Case(input: [2, 4, 7, 7], cout: 6, kernel: 3, stride: 2, padding: 0, groups: 2, bias: true),    // grouped
        Case(input: [3, 34, 5, 6], cout: 34, kernel: 3, stride: 1, padding: 1, groups: 34, bias: true), // depthwise, 3 lane blocks
    ]

    /// A convolution and a BatchNorm with non-trivial running statistics and affine terms.
    static func layers(_ c: Case, seed: UInt64) throws -> (Conv2d, BatchNorm2d) {
        var rng = RandomGenerator(seed: seed)
        let conv = Conv2d(c.input[1], c.cout, kernel: c.kernel, stride: c.stride, padding: c.padding, groups: c.groups,
                          bias: c.bias, rng: &rng)
        if let b = conv.bias { for i in 0..<b.count { b.storage[i] = rng.uniform() - 0.5 } }
        let bn = BatchNorm2d(c.cout)
        for i in 0..<c.cout {
            bn.runningMean.storage[i] = rng.uniform() - 0.5
            bn.runningVar.storage[i] = 0.2 + rng.uniform()
            bn.weight.storage[i] = 0.5 + rng.uniform()
            bn.bias.storage[i] = rng.uniform() - 0.5
        }
        return (conv, bn)
    }

    @Test("fused inference equals conv, BatchNorm and activation run separately", arguments: cases, [Activation.Kind.relu, .identity, .silu])
    func fusedEqualsSeparate(_ c: Case, _ activation: Activation.Kind) throws {
        let (conv, bn) = try Self.layers(c, seed: 3)
        bn.eval()
        var rng = RandomGenerator(seed: 4)
        let x = try Tensor.randn(c.input, using: &rng)
        let separate = try activation.apply(bn(conv(x)))
        let fused = try GradMode.withoutGrad { try conv(x, batchNorm: bn, activation: activation) }
        #expect(fused.shape == separate.shape)
        let scale = separate.storage.map(abs).max()!
        #expect(maxDifference(fused.storage, separate.storage) <= 1e-5 * max(1, scale), "\(c) \(activation)")
    }

    @Test("a residual is added before the activation, fused or not", arguments: cases, [Activation.Kind.relu, .identity])
    func residual(_ c: Case, _ activation: Activation.Kind) throws {
        let (conv, bn) = try Self.layers(c, seed: 11)
        bn.eval()
        var rng = RandomGenerator(seed: 12)
        let x = try Tensor.randn(c.input, using: &rng)
        let plain = try bn(conv(x))
        let shortcut = try Tensor.randn(plain.shape, using: &rng)
        let separate = try activation.apply(plain + shortcut)
        let fused = try GradMode.withoutGrad { try conv(x, batchNorm: bn, activation: activation, residual: shortcut) }
        let taped = try conv(x, batchNorm: bn, activation: activation, residual: shortcut)
        #expect(maxDifference(fused.storage, separate.storage) <= 1e-5 * max(1, separate.storage.map(abs).max()!), "\(c)")
        #expect(maxDifference(taped.storage, separate.storage) == 0)
        let wrong = try Tensor.zeros([1, 1, 1, 1])
        #expect(throws: TensorError.self) { try GradMode.withoutGrad { try conv(x, batchNorm: bn, residual: wrong) } }
    }

    @Test("with batch statistics (training) nothing is folded, even with gradients off")
    func trainingUsesBatchStatistics() throws {
        let c = Self.cases[0]
        let (conv, bn) = try Self.layers(c, seed: 5)
        var rng = RandomGenerator(seed: 6)
        let x = try Tensor.randn(c.input, using: &rng)
        let before = bn.runningMean.storage
        let fusedCall = try GradMode.withoutGrad { try conv(x, batchNorm: bn, activation: .relu) }
        // The batch's own statistics were used: the running mean moved, and the output is the
        // batch-normalised convolution.
        #expect(bn.runningMean.storage != before)
        let reference = try GradMode.withoutGrad { try x.conv2d(weight: conv.weight, bias: conv.bias, stride: conv.stride,
                                                                padding: conv.padding, groups: conv.groups) }
        let normalized = try reference.batchNorm(runningMean: Tensor.zeros([c.cout]), runningVar: Tensor.ones([c.cout]),
                                                 weight: bn.weight, bias: bn.bias, training: true, momentum: 0.1, eps: bn.eps)
        #expect(maxDifference(fusedCall.storage, normalized.relu().storage) < 1e-5)
    }

    @Test("Sequential fuses Conv2d, BatchNorm2d and ReLU at inference and trains the same layers unfused")
    func sequential() throws {
        let c = Self.cases[0]
        let (conv, bn) = try Self.layers(c, seed: 7)
        let net = Sequential(conv, bn, Activation(.relu), Pool(.globalAverage))
        net.eval()
        var rng = RandomGenerator(seed: 8)
        let x = try Tensor.randn(c.input, using: &rng)
        let expected = try bn(conv(x)).relu().globalAvgPool()
        let inference = try GradMode.withoutGrad { try net(x) }
        #expect(maxDifference(inference.storage, expected.storage) < 1e-5)
        // With the tape on, the same Sequential still produces gradients for every parameter.
        net.train()
        try net(x).sum().backward()
        #expect(conv.weight.grad != nil && bn.weight.grad != nil)
    }
}
