import Foundation
import Framework

/// `zoorun bench` workloads of the Clustering plugin: seconds per 100,000 patches for the
/// growing neural gas, mini-batch k-means and power-spectrum patch features.
public enum ClusteringBenchmarks {
    /// 100k points in 15 dimensions (an 8-px, 3-band power spectrum's width) from a mixture
    /// of 20 Gaussians, seeded.
    static func patches(_ n: Int = 100_000, d: Int = 15) -> FeatureMatrix {
        var rng = RandomGenerator(seed: 42)
        let centres = (0..<(20 * d)).map { _ in 3 * rng.normal() }
        var v = [Float]()
        v.reserveCapacity(n * d)
        for _ in 0..<n {
            let c = rng.uniformIndex(below: 20)
            for j in 0..<d { v.append(centres[c * d + j] + rng.normal()) }
        }
        return FeatureMatrix(rows: n, cols: d, values: v)
    }

    /// The data `scripts/clustering_sklearn_timing.py` writes and times scikit-learn on.
    public static let sharedData = "/tmp/zoorun-clustering-bench.csv"

    static func readShared() throws -> FeatureMatrix {
        let t = try CSVTable.read(path: sharedData)
        return try FeatureMatrix(t.rows.enumerated().map { i, r in
            try r.map { v -> Float in
                guard let f = Float(v) else { throw TensorError.invalidArgument(op: "bench", message: "\(sharedData) row \(i + 2): '\(v)' is not a number") }
                return f
            }
        })
    }

    public static var workloads: [BenchmarkWorkload] {
        [
            BenchmarkWorkload(name: "kmeans-vs-sklearn", summary: "k-means (k 8, 4 restarts) on the data scripts/clustering_sklearn_timing.py times scikit-learn on, s per fit",
                              requiredFiles: [sharedData]) {
                let x = try readShared()
                let samples = try BenchmarkWorkload.time(warmup: 1, iterations: 5) {
                    _ = try KMeans.fit(x, options: KMeans.Options(k: 8, restarts: 4), seed: 0)
                }
                return BenchmarkResult(name: "kmeans-vs-sklearn", unit: "s/fit", samples: samples, detail: "\(x.rows)×\(x.cols)")
            },
            BenchmarkWorkload(name: "gmm-vs-sklearn", summary: "Gaussian mixture (k 8, full) on the same data, s per fit", requiredFiles: [sharedData]) {
                let x = try readShared()
                let samples = try BenchmarkWorkload.time(warmup: 1, iterations: 3) {
                    _ = try GaussianMixture.fit(x, options: GaussianMixture.Options(k: 8, covariance: .full), seed: 0)
                }
                return BenchmarkResult(name: "gmm-vs-sklearn", unit: "s/fit", samples: samples, detail: "\(x.rows)×\(x.cols)")
            },
            BenchmarkWorkload(name: "gng-100k-patches", summary: "growing neural gas (Hocking defaults, 200 nodes) learning 100k 15-d patches, s per 100k") {
                let x = patches()
                var options = GrowingNeuralGas.Options()
                // A grown network: the cost per patch is that of 200 nodes, as in a long run.
                options.lambda = 50
                let samples = try BenchmarkWorkload.time(warmup: 0, iterations: 3) {
                    var gng = GrowingNeuralGas(dimensions: x.cols, options: options)
                    gng.learn(x)
                }
                return BenchmarkResult(name: "gng-100k-patches", unit: "s/100k", samples: samples, detail: "200 nodes, d 15")
            },
            BenchmarkWorkload(name: "minibatch-kmeans-100k", summary: "mini-batch k-means (k 20, batches of 1024) streaming 100k 15-d patches, s per 100k") {
                let x = patches()
                let batches = KMeans.chunks(x.rows, size: 1024).map { x.selecting(Array($0)) }
                let samples = try BenchmarkWorkload.time(warmup: 1, iterations: 5) {
                    var rng = RandomGenerator(seed: 1)
                    var km = MiniBatchKMeans(k: 20, dimensions: x.cols)
                    for b in batches { try km.learn(b, rng: &rng) }
                }
                return BenchmarkResult(name: "minibatch-kmeans-100k", unit: "s/100k", samples: samples, detail: "k 20, batch 1024")
            },
            BenchmarkWorkload(name: "power-spectrum-100k", summary: "radially averaged power spectra of 100k 8×8 patches in 3 bands, s per 100k") {
                var rng = RandomGenerator(seed: 3)
                let patch = (0..<64).map { _ in rng.normal() }
                let spectrum = RadialPowerSpectrum(size: 8)
                let samples = BenchmarkWorkload.time(warmup: 0, iterations: 3) {
                    var sink = 0.0
                    for _ in 0..<300_000 { sink += spectrum(patch)[1] }
                    precondition(sink.isFinite)
                }
                return BenchmarkResult(name: "power-spectrum-100k", unit: "s/100k", samples: samples, detail: "8 px, 3 bands")
            },
        ]
    }
}
