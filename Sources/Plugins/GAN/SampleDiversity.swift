import Framework

/// How varied a batch of samples is on an encoder's features, against real images: the
/// mean pairwise Euclidean distance between feature rows. A generator that has collapsed
/// onto a few modes makes near-identical samples, so its ratio to the real data's falls
/// towards 0.
struct SampleDiversity {
    let embedder: any Embedder
    /// Mean pairwise feature distance of the real reference images.
    let real: Double

    /// `images` [N, C, H, W] in [0, 1] are the real reference.
    init(embedder: any Embedder, real images: Tensor) throws {
        self.embedder = embedder
        real = Self.meanPairwiseDistance(try Self.features(embedder, images))
    }

    /// The samples' diversity over the real images' (1 = as varied as the data).
    func ratio(of samples: Tensor) throws -> Double {
        Self.meanPairwiseDistance(try Self.features(embedder, samples)) / max(real, 1e-12)
    }

    static func features(_ embedder: any Embedder, _ images: Tensor) throws -> [[Float]] {
        embedder.eval()
        let z = try GradMode.withoutGrad { try embedder.embed(images) }
        let d = z.shape[1]
        return (0..<z.shape[0]).map { Array(z.storage[($0 * d)..<(($0 + 1) * d)]) }
    }

    static func meanPairwiseDistance(_ rows: [[Float]]) -> Double {
        guard rows.count > 1 else { return 0 }
        var total = 0.0, pairs = 0.0
        for i in rows.indices {
            for j in (i + 1)..<rows.count {
                var s = 0.0
                for k in rows[i].indices {
                    let t = Double(rows[i][k]) - Double(rows[j][k])
                    s += t * t
                }
                total += s.squareRoot()
                pairs += 1
            }
        }
        return total / pairs
    }
}
