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
        for net in ["zoobot_like", "resnet18", "efficientnet_b0", "convnext_nano", "compact"] {
            w.append(train(net, resolution: 64, batch: 32))
            w.append(infer(net, resolution: 64, batch: 64))
        }
        w.append(train("efficientnet_b0", resolution: 128, batch: 32))
        w.append(infer("efficientnet_b0", resolution: 128, batch: 64))
        w.append(simulator())
        w.append(loaderPNG())
        w.append(loaderFedEpoch(.predecoded))
        w.append(loaderFedEpoch(.loader))
        w.append(loaderFedEpoch(.cachedLoader))
        return w
    }

    /// How `loaderFedEpoch` gets its batches.
    enum EpochFeed {
        /// Decoded and augmented before the clock starts.
        case predecoded
        /// The threaded loader, decoding every PNG each epoch (`cache_mb: 0`).
        case loader
        /// The threaded loader with its decoded-image cache (`cache_mb`, on by default in
        /// training): after the first epoch only augmentation is left to overlap.
        case cachedLoader
    }

    /// One training epoch of the compact network over the real gz-rings PNGs (64 px, batch
    /// 32, default augmentation), fed either by the threaded loader (decode + augment
    /// overlapping the steps, with or without its cache) or from batches decoded and
    /// augmented beforehand; the ratio of the two is the loader's overhead on training.
    static func loaderFedEpoch(_ feed: EpochFeed) -> BenchmarkWorkload {
        let (name, what) = switch feed {
        case .predecoded: ("epoch-predecoded-64", "pre-decoded batches")
        case .loader: ("epoch-loader-64", "fed by the loader decoding every epoch (2 workers, cache_mb 0)")
        case .cachedLoader: ("epoch-loader-cached-64", "fed by the loader with its decoded-image cache, as training runs by default (2 workers, cache_mb 64)")
        }
        let predecoded = feed == .predecoded
        return BenchmarkWorkload(name: name, summary: "compact training epoch on the gz-rings PNGs, \(what) (images/s)",
                                 requiredFiles: [gzRings]) {
            let dataset = try CatalogDataset(catalog: gzRings, options: CatalogOptions(imageSize: 64))
            var rng = RandomGenerator(seed: 0)
            let model = Classifier(ResNet.compact(rng: &rng), rng: &rng)
            let opt = SGD(parameters: model.trainableParameters(), learningRate: 0.01, momentum: 0.9)
            let options = DataLoaderOptions(batchSize: 32, seed: 0, workers: 2, cacheMegabytes: feed == .cachedLoader ? 64 : 0)
            let loader = try DataLoader(dataset: dataset, options: options, augmentation: AugmentationOptions())
            func step(_ b: Batch) throws {
                opt.zeroGrad()
                try Loss.crossEntropy(logits: model(b.images), targets: (0..<b.count).map { $0 % 2 }).mean().backward()
                opt.step()
            }
            var samples: [Double] = []
            for epoch in 0..<4 {
                if predecoded {
                    var batches: [Batch] = []
                    let e = loader.epoch(epoch)
                    while let b = try e.next() { batches.append(b) }
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    for b in batches { try step(b) }
                    samples.append(Double(dataset.count) / (Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9))
                } else {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let e = loader.epoch(epoch)
                    while let b = try e.next() { try step(b) }
                    samples.append(Double(dataset.count) / (Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9))
                }
            }
            return BenchmarkResult(name: name, unit: "images/s", samples: Array(samples.dropFirst()))
        }
    }

    /// The shared real-data catalog, present only in this repository's workspace.
    static let gzRings = "../shared/data/gz-rings/catalog.csv"

    /// The real gz-rings PNGs (128 px): decode + augment + batch, 2 workers.
    static func loaderPNG() -> BenchmarkWorkload {
        BenchmarkWorkload(name: "loader-png-128", summary: "decode 128 px PNGs + default augmentation + batch of 128, 2 workers (images/s)",
                          requiredFiles: [gzRings]) {
            let shared = gzRings
            let dataset = try CatalogDataset(catalog: shared, options: CatalogOptions(imageSize: 128))
            var samples: [Double] = []
            for _ in 0..<5 { samples.append(try LoaderBenchmarks.loader(dataset: dataset, batchSize: 128, workers: 2)) }
            return BenchmarkResult(name: "loader-png-128", unit: "images/s", samples: samples,
                                   detail: "\(dataset.count) PNGs from \(shared)")
        }
    }

    /// A backbone with a 10-class linear classifier, as the reference's `num_classes=10`.
    final class Classifier: Module, Layer {
        let encoder: any Backbone
        let fc: Linear
        init(_ encoder: any Backbone, rng: inout RandomGenerator) {
            self.encoder = encoder
            fc = Linear(encoder.embeddingWidth, 10, rng: &rng)
            super.init()
        }
        override func children() -> [(key: String, module: Module)] { [("encoder", encoder), ("fc", fc)] }
        func callAsFunction(_ x: Tensor) throws -> Tensor { try fc(encoder.embed(x)) }
    }

    static func network(_ name: String, rng: inout RandomGenerator) -> any Layer {
        if name == "resnet18" { return ResNet.resnet18(numClasses: 10, rng: &rng) }
        if let family = BackboneFamily.builtIn.first(where: { $0.kind == name }) {
            return Classifier(family.build(3, &rng), rng: &rng)
        }
        return ZoobotLike.make(rng: &rng)
    }

    static func simulator() -> BenchmarkWorkload {
        BenchmarkWorkload(name: "simulate-64", summary: "galaxy simulator, 64 px, one core (galaxies/s)") {
            let samples = (0..<3).map { _ in SimulatorBenchmark.run(count: 1000) }
            return BenchmarkResult(name: "simulate-64", unit: "galaxies/s", samples: samples)
        }
    }

    static func sgemm(_ n: Int) -> BenchmarkWorkload {
        BenchmarkWorkload(name: "sgemm-\(n)", summary: "sgemm through BLAS.sgemm (the AVX-512 kernel, or OpenBLAS with ZOO_GEMM=openblas), \(n)×\(n)×\(n)") {
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
