import Foundation

/// Throughput of the convolution kernels on the layer shapes that dominate the CNNs we train
/// (ResNet 3×3 and 1×1 convolutions, EfficientNet/ConvNeXt depthwise convolutions).
///
/// Each shape is timed forward only (without the tape) and forward + backward (input,
/// weight and bias gradients); GFLOP/s counts 2 flops per multiply-add, and the backward
/// pass as two forward passes' worth.
public enum ConvBenchmarks {
    /// One benchmarked layer.
    struct Layer {
        let name: String
        let input: [Int]
        let weight: [Int]
        let padding: (Int, Int)
        let groups: Int

        /// Multiply-adds × 2 of one forward pass.
        var flops: Double {
            let outputs = Double(input[0] * weight[0] * input[2] * input[3])  // every layer here keeps H×W
            return 2 * outputs * Double(weight[1] * weight[2] * weight[3])
        }
    }

    static let layers = [
        Layer(name: "conv3x3 64→64 [32,64,32,32]", input: [32, 64, 32, 32], weight: [64, 64, 3, 3], padding: (1, 1), groups: 1),
        Layer(name: "conv1x1 128→128 [32,128,16,16]", input: [32, 128, 16, 16], weight: [128, 128, 1, 1], padding: (0, 0), groups: 1),
        Layer(name: "depthwise3x3 [32,96,32,32]", input: [32, 96, 32, 32], weight: [96, 1, 3, 3], padding: (1, 1), groups: 96),
        Layer(name: "depthwise7x7 [32,80,16,16]", input: [32, 80, 16, 16], weight: [80, 1, 7, 7], padding: (3, 3), groups: 80),
    ]

    /// Seconds per call of `layer`, forward only or forward + backward, after one warm-up:
    /// at least five calls and about half a second.
    static func measure(_ layer: Layer, backward: Bool) -> [Double] {
        var rng = RandomGenerator(seed: 42)
        // The shapes are fixed and valid, so these cannot throw.
        let x = try! Tensor.randn(layer.input, using: &rng)
        let w = try! Tensor.randn(layer.weight, std: 0.1, using: &rng)
        let b = try! Tensor.randn([layer.weight[0]], using: &rng)
        func conv() -> Tensor { try! x.conv2d(weight: w, bias: b, padding: layer.padding, groups: layer.groups) }
        let body: () -> Void
        if backward {
            for t in [x, w, b] { t.requiresGrad = true }
            let seed = try! Tensor.randn([layer.input[0], layer.weight[0], layer.input[2], layer.input[3]], using: &rng)
            body = {
                for t in [x, w, b] { t.grad = nil }
                try! conv().backward(seed)
            }
        } else {
            body = { _ = GradMode.withoutGrad { conv() } }
        }
        body()
        var times: [Double] = []
        var spent = 0.0
        while times.count < 5 || (spent < 0.5 && times.count < 200) {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            let t = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            times.append(t)
            spent += t
        }
        return times
    }

    /// Every layer forward and forward + backward; `ms` is the median time of one call.
    public static func run() -> [(name: String, gflops: Double, ms: Double)] {
        layers.flatMap { layer in
            [false, true].map { backward in
                let times = measure(layer, backward: backward).sorted()
                let median = times[times.count / 2]
                return (layer.name + (backward ? " fwd+bwd" : " fwd"), (backward ? 3 : 1) * layer.flops / median / 1e9,
                        median * 1e3)
            }
        }
    }

    /// The same measurements as `zoorun bench` workloads (GFLOP/s per call).
    public static var workloads: [BenchmarkWorkload] {
        layers.flatMap { layer in
            [false, true].map { backward in
                let name = "conv-" + layer.name.prefix { $0 != " " } + "-" + (backward ? "fwdbwd" : "fwd")
                return BenchmarkWorkload(name: name, summary: layer.name + (backward ? ", forward + backward" : ", forward")) {
                    let flops = (backward ? 3 : 1) * layer.flops
                    return BenchmarkResult(name: name, unit: "GFLOP/s",
                                           samples: measure(layer, backward: backward).map { flops / $0 / 1e9 })
                }
            }
        }
    }
}
