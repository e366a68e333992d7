import Foundation

/// Throughput of the convolution kernels on the layer shapes that dominate the CNNs we train
/// (ResNet 3×3 and 1×1 convolutions, EfficientNet/ConvNeXt depthwise convolutions).
///
/// Each shape is timed forward only and forward + backward (input and weight gradients);
/// GFLOP/s counts 2 flops per multiply-add, and a backward pass as two forward passes' worth.
public enum ConvBenchmarks {
    /// One benchmarked layer.
    struct Layer {
        let name: String
        let input: [Int]
        let weight: [Int]
        let padding: (Int, Int)
        let groups: Int
    }

    static let layers = [
        Layer(name: "conv3x3 64→64 [32,64,32,32]", input: [32, 64, 32, 32], weight: [64, 64, 3, 3], padding: (1, 1), groups: 1),
        Layer(name: "conv1x1 128→128 [32,128,16,16]", input: [32, 128, 16, 16], weight: [128, 128, 1, 1], padding: (0, 0), groups: 1),
        Layer(name: "depthwise3x3 [32,96,32,32]", input: [32, 96, 32, 32], weight: [96, 1, 3, 3], padding: (1, 1), groups: 96),
        Layer(name: "depthwise7x7 [32,80,16,16]", input: [32, 80, 16, 16], weight: [80, 1, 7, 7], padding: (3, 3), groups: 80),
    ]

    /// Runs every layer forward and forward + backward; `ms` is the median time of one pass.
    public static func run() -> [(name: String, gflops: Double, ms: Double)] {
        var results: [(name: String, gflops: Double, ms: Double)] = []
        var rng = RandomGenerator(seed: 42)
        for layer in layers {
            // The shapes are fixed and valid, so these cannot throw.
            let x = try! Tensor.randn(layer.input, using: &rng)
            let w = try! Tensor.randn(layer.weight, std: 0.1, using: &rng)
            let b = try! Tensor.randn([layer.weight[0]], using: &rng)
            let y = try! x.conv2d(weight: w, bias: b, padding: layer.padding, groups: layer.groups)
            let flops = 2 * Double(y.count) * Double(layer.weight[1] * layer.weight[2] * layer.weight[3])

            let forward = median {
                _ = GradMode.withoutGrad { try! x.conv2d(weight: w, bias: b, padding: layer.padding, groups: layer.groups) }
            }
            results.append((layer.name + " fwd", flops / forward / 1e9, forward * 1e3))

            x.requiresGrad = true
            w.requiresGrad = true
            b.requiresGrad = true
            let seed = try! Tensor.randn(y.shape, using: &rng)
            let both = median {
                x.grad = nil
                w.grad = nil
                b.grad = nil
                let out = try! x.conv2d(weight: w, bias: b, padding: layer.padding, groups: layer.groups)
                try! out.backward(seed)
            }
            results.append((layer.name + " fwd+bwd", 3 * flops / both / 1e9, both * 1e3))
        }
        return results
    }

    /// The median wall time of `body` in seconds, after one warm-up call, over at least five
    /// calls and about half a second.
    static func median(_ body: () -> Void) -> Double {
        body()
        var times: [Double] = []
        let budget = 0.5
        var spent = 0.0
        while times.count < 5 || (spent < budget && times.count < 200) {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            let t = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            times.append(t)
            spent += t
        }
        times.sort()
        return times[times.count / 2]
    }
}
