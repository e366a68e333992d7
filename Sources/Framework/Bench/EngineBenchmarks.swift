import Foundation

/// The engine's workloads, defined as `../shared/bench/torch_reference.py` defines its
/// own so the two can be compared side by side: a training step is zero-grad + forward +
/// cross-entropy + backward + SGD (momentum 0.9) in train mode on random data, batch 32,
/// 3×64×64, 10 classes; inference is eval mode without the tape, batch 64.
public enum EngineBenchmarks {
    public static var all: [BenchmarkWorkload] {
        var w: [BenchmarkWorkload] = [
            sgemm(1024), sgemm(2048),
        ]
        for net in ["zoobot_like", "resnet18"] {
            w.append(train(net, resolution: 64, batch: 32))
            w.append(infer(net, resolution: 64, batch: 64))
        }
        return w
    }

    static func network(_ name: String, rng: inout RandomGenerator) -> any Layer {
        switch name {
        case "resnet18": return ResNet.resnet18(numClasses: 10, rng: &rng)
        default: return ZoobotLike.make(rng: &rng)
        }
    }

    static func sgemm(_ n: Int) -> BenchmarkWorkload {
        BenchmarkWorkload(name: "sgemm-\(n)", summary: "OpenBLAS sgemm, \(n)×\(n)×\(n)") {
            var rng = RandomGenerator(seed: 0)
            let a = try Tensor.randn([n, n], using: &rng), b = try Tensor.randn([n, n], using: &rng)
            let samples = try BenchmarkWorkload.time(warmup: 2, iterations: 10) { _ = try a.matmul(b) }
            let flops = 2 * Double(n) * Double(n) * Double(n)
            return BenchmarkResult(name: "sgemm-\(n)", unit: "GFLOP/s", samples: samples.map { flops / $0 / 1e9 })
        }
    }

    static func train(_ net: String, resolution: Int, batch: Int) -> BenchmarkWorkload {
        let name = "train-\(net)-\(resolution)"
        return BenchmarkWorkload(name: name, summary: "\(net) training step, batch \(batch), 3×\(resolution)², SGD momentum 0.9") {
            var rng = RandomGenerator(seed: 0)
            let model = network(net, rng: &rng)
            model.train()
            let x = try Tensor.randn([batch, 3, resolution, resolution], using: &rng)
            let y = (0..<batch).map { _ in Int(rng.next() % 10) }
            let opt = SGD(parameters: model.trainableParameters(), learningRate: 0.01, momentum: 0.9)
            let samples = try BenchmarkWorkload.time(warmup: 3, iterations: 12) {
                opt.zeroGrad()
                let loss = try Loss.crossEntropy(logits: model(x), targets: y).mean()
                try loss.backward()
                opt.step()
            }
            return BenchmarkResult(name: name, unit: "images/s", samples: samples.map { Double(batch) / $0 })
        }
    }

    static func infer(_ net: String, resolution: Int, batch: Int) -> BenchmarkWorkload {
        let name = "infer-\(net)-\(resolution)"
        return BenchmarkWorkload(name: name, summary: "\(net) inference, eval mode, batch \(batch), 3×\(resolution)²") {
            var rng = RandomGenerator(seed: 0)
            let model = network(net, rng: &rng)
            model.eval()
            let x = try Tensor.randn([batch, 3, resolution, resolution], using: &rng)
            let samples = try GradMode.withoutGrad {
                try BenchmarkWorkload.time(warmup: 3, iterations: 15) { _ = try model(x) }
            }
            return BenchmarkResult(name: name, unit: "images/s", samples: samples.map { Double(batch) / $0 })
        }
    }
}
