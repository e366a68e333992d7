import Framework

/// How close the generated distribution is to held-out real galaxies on an encoder's
/// features: Fréchet distance (FID's formula), kernel inception distance and k-NN precision
/// and recall, each beside its real-vs-real floor. The held-out images are split into two
/// halves A and B; generated images (as many as B) are scored against B, and A against B
/// gives the floor, so both sides of each comparison have the same sample sizes.
struct GANQuality {
    struct Scores {
        var fid: Double
        var kid: Double
        var kidStd: Double
        var precision: Double
        var recall: Double
    }

    var generated: Scores
    /// Real half A against real half B.
    var floor: Scores
    /// Rows in each compared set and the feature width.
    var samples: Int
    var featureWidth: Int

    /// Scores `model`'s samples against `heldOut` images of `dataset` on `embedder`'s
    /// features; conditional samples take classes drawn from `classPool`.
    static func measure(model: GANModel, embedder: any Embedder, dataset: any Dataset, heldOut: [Int],
                        maxSamples: Int, classPool: [Int]?, k: Int, seed: UInt64) throws -> GANQuality {
        var rng = RandomGenerator(seed: seed, stream: 0x5155_414C)
        var order = heldOut
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.uniformIndex(below: i + 1)) }
        var half = order.count / 2
        if maxSamples > 0 { half = min(half, maxSamples) }
        guard half > k else {
            throw ConfigError(file: "data", message: "the quality metrics need more than \(2 * (k + 1)) held-out (validation + test) galaxies, got \(heldOut.count)")
        }
        let a = Array(order[0..<half]), b = Array(order[half..<(2 * half)])
        let realA = try DatasetEmbedding(embedder, dataset: dataset, indices: a, progress: "zoorun: real features").rows
        let realB = try DatasetEmbedding(embedder, dataset: dataset, indices: b).rows
        model.eval()
        var fake: [[Float]] = []
        var drawn = 0, batchNumber: UInt64 = 0
        while drawn < half {
            let n = min(64, half - drawn)
            let z = try model.latents(n, stream: 0x4556_414C_0000 &+ batchNumber)
            let y = classPool.map { pool in (0..<n).map { _ in pool[rng.uniformIndex(below: pool.count)] } }
            fake += try SampleDiversity.features(embedder, model.sample(z, labels: y))
            drawn += n
            batchNumber += 1
        }
        let subsetSize = max(2, min(100, half / 2))
        func scores(_ x: [[Float]]) throws -> Scores {
            let kid = try KernelInceptionDistance.estimate(x, realB, subsets: 50, subsetSize: subsetSize, seed: seed)
            let pr = try GenerativePrecisionRecall.compute(real: realB, generated: x, k: k)
            return Scores(fid: try FrechetDistance.distance(x, realB), kid: kid.mean, kidStd: kid.std,
                          precision: pr.precision, recall: pr.recall)
        }
        return GANQuality(generated: try scores(fake), floor: try scores(realA), samples: half, featureWidth: realB.first?.count ?? 0)
    }

    /// `test_fid`, `test_kid`, … and their `_floor` twins.
    var metrics: [String: Double] {
        var m: [String: Double] = [:]
        for (suffix, s) in [("", generated), ("_floor", floor)] {
            m["test_fid\(suffix)"] = s.fid
            m["test_kid\(suffix)"] = s.kid
            m["test_precision\(suffix)"] = s.precision
            m["test_recall\(suffix)"] = s.recall
        }
        return m
    }

    /// One row per comparison, for `quality.csv` and the report.
    var table: CSVTable {
        func row(_ name: String, _ s: Scores) -> [String] {
            [name, String(format: "%.4f", s.fid), String(format: "%.5f", s.kid), String(format: "%.5f", s.kidStd),
             String(format: "%.3f", s.precision), String(format: "%.3f", s.recall), "\(samples)"]
        }
        return CSVTable(header: ["comparison", "fid", "kid", "kid_std", "precision", "recall", "samples"],
                        rows: [row("generated vs real B", generated), row("real A vs real B (floor)", floor)])
    }
}
