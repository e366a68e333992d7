import Foundation
import Framework

/// Assigns new galaxies to the clusters of a finished clustering run (`zoorun predict
/// --checkpoint RUN --catalog CSV`): rebuilds the run's pipeline from its model file (and its
/// backbone from the saved weights) and writes `id_str, cluster, distance, second_best`.
public enum ClusteringPredictor: RunPredictor {
    public static let taskKinds = [PatchClusteringComponent.kind, RepresentationClusteringComponent.kind]

    /// `zoorun predict --checkpoint RUN --catalog CSV --out clusters.csv`.
    public static func predict(_ request: PredictionRequest) throws -> [String] {
        try predict(experiment: request.run.experiment, checkpoint: request.run.checkpoint, catalog: request.catalog, out: request.out)
    }

    /// A representation-clustering run's backbone with its saved weights, for `zoorun embed`.
    public static func embedder(_ run: RunFolder) throws -> (any Embedder)? {
        let file = try SafeTensors.read(path: run.checkpoint)
        guard file.names.contains(where: { $0.hasPrefix("backbone.") }) else { return nil }
        // The data source tells the backbone how many bands the images have.
        var context = try run.experiment.makeDataSource().context
        let b = try run.experiment.makeBackbone(context: &context, for: "embedding with a clustering run")
        try ClusteringModelFile.loadBackbone(b, from: file)
        b.eval()
        return b
    }

    /// The clusters of every galaxy of `dataset` under the model in `checkpoint`.
    /// - Parameter experiment: the run's experiment, rebuilt from its config.yaml.
    public static func assign(experiment: Experiment, checkpoint: String, dataset: any Dataset) throws -> [ClusterAssignment] {
        let file = try SafeTensors.read(path: checkpoint)
        let task = file.metadata["task"] ?? ""
        func backbone() throws -> any Backbone {
            var context = experiment.context()
            context.inChannels = try dataset.example(at: 0).image.channels
            let b = try experiment.makeBackbone(context: &context, for: "predicting with a \(task) run")
            try ClusteringModelFile.loadBackbone(b, from: file)
            return b
        }
        let indices = Array(0..<dataset.count)
        switch task {
        case PatchClusteringComponent.kind:
            let usesBackbone = file.names.contains { $0.hasPrefix("backbone.") }
            let pipeline = try PatchPipeline(file: file, backbone: usesBackbone ? try backbone() : nil)
            var out: [ClusterAssignment] = []
            for i in indices { out += try pipeline.assign([dataset.example(at: i).image]) }
            return out
        case RepresentationClusteringComponent.kind:
            let x = try Baselines.representations(try backbone(), dataset: dataset, indices: indices, seed: experiment.config.seed)
            let z = try FeatureTransform(file: file, prefix: "transform.").apply(x)
            let first = (file.metadata["methods"] ?? "kmeans").split(separator: ",").first.map(String.init) ?? "kmeans"
            if first == "gmm" { return try mixture(file).assign(z) }
            return try KMeans(centres: file.matrix("kmeans.centres")).assign(z)
        default:
            throw TensorError.invalidArgument(op: "clustering predict", message: "\(checkpoint) is not a clustering model (task '\(task)'; expected \(taskKinds.joined(separator: " or ")))")
        }
    }

    static func mixture(_ file: SafeTensorsFile) throws -> GaussianMixture {
        let means = try file.matrix("gmm.means"), factors = try file.matrix("gmm.factors")
        let d = means.cols
        let covariance: GaussianMixture.Covariance = factors.cols == d * d && d > 1 ? .full : .diagonal
        return GaussianMixture(covariance: covariance, dimensions: d, weights: try file.tensor("gmm.weights").storage.map(Double.init),
                               means: means.rowArrays.map { $0.map(Double.init) }, factors: factors.rowArrays.map { $0.map(Double.init) },
                               meanLogLikelihood: .nan, iterations: 0, converged: true)
    }

    /// Writes the assignments of the galaxies of `catalog` to `out`; returns lines to print.
    public static func predict(experiment: Experiment, checkpoint: String, catalog: String, out: String) throws -> [String] {
        let size = Int(experiment.config.data.string("image_size") ?? "")
            ?? Int(experiment.config.data.node["simulator"]?["image_size"]?.string ?? "") ?? 64
        let dataset = try CatalogDataset(catalog: catalog, options: CatalogOptions(labelColumns: [], imageSize: size))
        let a = try assign(experiment: experiment, checkpoint: checkpoint, dataset: dataset)
        let table = CSVTable(header: ["id_str", "cluster", "distance", "second_best"],
                             rows: a.indices.map { [dataset.id(at: $0), String(a[$0].cluster), String(format: "%.5g", a[$0].distance), String(a[$0].secondBest)] })
        try table.write(to: out)
        var sizes: [Int: Int] = [:]
        for x in a { sizes[x.cluster, default: 0] += 1 }
        return ["wrote \(out): \(a.count) galaxies in \(sizes.count) clusters",
                "  sizes: " + sizes.keys.sorted().map { "\($0): \(sizes[$0]!)" }.joined(separator: ", ")]
    }
}
