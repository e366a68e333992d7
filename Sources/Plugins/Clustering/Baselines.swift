import Foundation
import Framework

/// The two reference clusterings every clustering run is scored beside, so a user sees what
/// a method adds: k-means on a PCA of the raw pixels, and k-means on the (pretrained)
/// encoder's pooled representations after PCA.
public enum Baselines {
    /// Every galaxy's pixels (all bands), one row each.
    public static func rawPixels(_ dataset: any Dataset, indices: [Int]) throws -> FeatureMatrix {
        var values: [Float] = [], width = -1
        for i in indices {
            let px = try dataset.example(at: i).image.pixels
            if width < 0 { width = px.count; values.reserveCapacity(width * indices.count) }
            guard px.count == width else {
                throw TensorError.invalidArgument(op: "raw-pixel baseline", message: "galaxy \(dataset.id(at: i)) has \(px.count) pixel values, the first had \(width); resize the images (data.image_size)")
            }
            values += px
        }
        return FeatureMatrix(rows: indices.count, cols: max(width, 0), values: values)
    }

    /// Standardise, PCA to `components`, k-means: the assignments and the fitted pieces.
    public static func kmeansAfterPCA(_ x: FeatureMatrix, components: Int, kmeans: KMeans.Options, seed: UInt64) throws
        -> (assignments: [ClusterAssignment], transform: FeatureTransform, model: KMeans) {
        let t = try FeatureTransform.fit(x, standardise: true, components: components)
        let z = try t.apply(x)
        let model = try KMeans.fit(z, options: kmeans, seed: seed)
        return (try model.assign(z), t, model)
    }

    /// The pooled representations of `indices` from `backbone` (evaluation mode).
    public static func representations(_ backbone: any Backbone, dataset: any Dataset, indices: [Int], seed: UInt64) throws -> FeatureMatrix {
        let e = try DatasetEmbedding(backbone, dataset: dataset, indices: indices, seed: seed, progress: "zoorun: embedding")
        // DatasetEmbedding returns rows in loader order; put them back in `indices` order.
        let position = Dictionary(uniqueKeysWithValues: e.indices.enumerated().map { ($1, $0) })
        return try FeatureMatrix(indices.map { e.rows[position[$0]!] }, what: "representations")
    }
}
