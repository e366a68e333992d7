import Foundation
import Framework

/// `task: {kind: patch-clustering}` — unsupervised galaxy types from patches (Hocking et al.
/// 2018; Martin et al. 2020): patch features, a growing neural gas, agglomerative clustering
/// of its nodes into patch types, each galaxy's patch-type histogram, k-means of the
/// galaxies; scored against the truth beside the raw-pixel and encoder baselines.
public struct PatchClusteringTask: ExperimentTask {
    public let options: PatchClusteringComponent.Options

    func build(_ experiment: Experiment) throws -> (source: DataSource, backbone: (any Backbone)?, features: PatchFeatures) {
        let (source, made) = try experiment.makeDataSource()
        var context = made
        let backbone = experiment.config.backbone == nil ? nil
            : try experiment.makeBackbone(context: &context, for: "a patch-clustering experiment")
        let features = try PatchFeatures(options: options.pipeline.features, patch: options.pipeline.patch, backbone: backbone)
        _ = try features.extractor.bands(channels: source.channels)
        return (source, backbone, features)
    }

    public func validate(_ experiment: Experiment) throws -> [String] {
        let (source, backbone, features) = try build(experiment)
        let first = try features.galaxy(source.dataset.example(at: 0).image)
        _ = try TruthLabels(options.scoring.truth, dataset: source.dataset, indices: [0])
        return [source.summary,
                "patches: \(features.extractor.options.size) px every \(features.extractor.options.stride) px, S/N ≥ \(features.extractor.options.minSNR); \(first.features.rows) kept on the first galaxy, \(first.features.cols) \(options.pipeline.features.kind.rawValue) features each",
                "growing neural gas: up to \(options.pipeline.gng.maxNodes) nodes, \(options.pipeline.epochs) epochs; \(options.pipeline.patchTypes) patch types (\(options.pipeline.linkage.rawValue)); k = \(options.pipeline.galaxyClusters.k) galaxy clusters",
                backbone.map { "backbone: \(type(of: $0)), embedding width \($0.embeddingWidth) (encoder baseline)" } ?? "no backbone: no encoder baseline"]
    }

    public func run(_ experiment: Experiment) throws -> RunSummary {
        let started = Date()
        let (source, backbone, features) = try build(experiment)
        let folder = experiment.runFolder, seed = experiment.config.seed
        let dataset = source.dataset
        let indices = Array(0..<dataset.count)
        log("zoorun: \(experiment.config.name): \(source.summary); clustering all \(indices.count) galaxies")
        let truth = try TruthLabels(options.scoring.truth, dataset: dataset, indices: indices)

        let (pipeline, histograms, fit) = try PatchPipeline.fit(options: options.pipeline, features: features, dataset: dataset,
                                                                 indices: indices, seed: seed, log: log)
        let assignments = try pipeline.galaxyModel.assign(histograms)
        let k = pipeline.galaxyModel.k
        let method = "patches-gng"
        var scores = [try ClusteringScores(method: method, assignments: assignments.map(\.cluster), clusters: k, truth: truth)]
        scores += try RepresentationClusteringTask.baselineScores(options.scoring, dataset: dataset, indices: indices, backbone: backbone,
                                                                  kmeans: options.pipeline.galaxyClusters, truth: truth, seed: seed, log: log)

        // The model, then the report.
        let (entries, metadata) = try pipeline.entries()
        try ClusteringModelFile.write(entries, metadata: metadata, task: PatchClusteringComponent.kind,
                                      backbone: options.pipeline.features.kind == .backbone ? backbone : nil, folder: folder)
        var out = ClusteringReport(experiment: experiment)
        out.report.addSummary("data", source.summary)
        out.report.addSummary("patches", "\(fit.patchesPerEpoch) kept (\(pipeline.options.patch.size) px, stride \(pipeline.options.patch.stride), S/N ≥ \(pipeline.options.patch.minSNR)); \(fit.galaxiesWithoutPatches) galaxies without any")
        out.report.addSummary("features", "\(pipeline.options.features.kind.rawValue), \(pipeline.transform.mean.count) → \(pipeline.transform.outputWidth) dimensions")
        out.report.addSummary("growing neural gas", "\(pipeline.gng.nodeCount) nodes, \(pipeline.gng.edgeCount) edges, \(Set(pipeline.gng.components()).count) components; quantisation error \(String(format: "%.3f", fit.quantisationError)); \(String(format: "%.1f", fit.gngSeconds)) s for \(pipeline.options.epochs) × \(fit.patchesPerEpoch) patches")
        out.report.addSummary("patch types", "\(pipeline.options.patchTypes) (\(pipeline.options.linkage.rawValue) linkage of the nodes)")
        out.report.addSummary("galaxy clusters", "k-means, k = \(k), inertia \(String(format: "%.4g", pipeline.galaxyModel.inertia))")
        out.report.addSummary("time", String(format: "%.0f s", Date().timeIntervalSince(started)))
        for s in scores { for label in truth.names { out.report.addSummary("\(s.method) NMI \(label)", String(format: "%.3f", s.metrics[label]!.normalizedMutualInformation)) } }
        let ids = indices.map { dataset.id(at: $0) }
        try out.addAssignments(ids: ids, assignments)
        out.report.addSection("Galaxy clusters")
        try out.addSizes(assignments, clusters: k, method: method)
        try out.addGallery(dataset: dataset, indices: indices, assignments, clusters: k, perCluster: options.scoring.galleryPerCluster, method: method)
        try addMaps(&out, pipeline: pipeline, dataset: dataset, indices: indices, assignments: assignments)
        try out.addScores(scores, truth: truth)
        let metrics: [String: Double] = ["gng_nodes": Double(pipeline.gng.nodeCount), "gng_quantisation_error": fit.quantisationError,
                                         "patches": Double(fit.patchesPerEpoch), "galaxy_clusters": Double(k)]
        return try out.finish(experiment: experiment, metrics: metrics, scores: scores, truth: truth,
                              describing: "clusters.csv: each galaxy's cluster, distance to the centre (in patch-type-histogram space) and second-best cluster; scores.csv and contingency_*.csv: the scores against the truth; \(ClusteringModelFile.relativePath): the fitted pipeline, for `zoorun predict`.")
    }

    /// Patch-type maps of the most typical galaxy of the first clusters.
    func addMaps(_ out: inout ClusteringReport, pipeline: PatchPipeline, dataset: any Dataset, indices: [Int],
                 assignments: [ClusterAssignment]) throws {
        guard options.scoring.maps > 0 else { return }
        let k = pipeline.galaxyModel.k
        var chosen: [Int] = []
        for c in 0..<k {
            if let r = assignments.indices.filter({ assignments[$0].cluster == c }).min(by: { assignments[$0].distance < assignments[$1].distance }) {
                chosen.append(r)
            }
        }
        var tiles: [ImageGrid.Tile] = []
        for r in chosen.prefix(options.scoring.maps) {
            let image = try dataset.example(at: indices[r]).image
            let (map, types) = try PatchTypeMaps.render(image, pipeline: pipeline)
            let top = Dictionary(grouping: types, by: { $0 }).max { $0.value.count < $1.value.count }?.key
            tiles.append(ImageGrid.Tile(image: image, caption: "\(dataset.id(at: indices[r])) (c\(assignments[r].cluster))"))
            tiles.append(ImageGrid.Tile(image: map, caption: top.map { "\(types.count) patches, most type \($0)" } ?? "no patches"))
        }
        guard !tiles.isEmpty else { return }
        out.report.addSection("Patch types")
        try out.report.addFigure("patch_type_maps", ImageGrid(tiles: tiles, columns: 4, tileSize: 150).render(),
                                 caption: "Left: a galaxy (the most typical of a cluster); right: its kept patches tinted by patch type (one hue per type; untinted: rejected as background).")

        var legend = [ImageGrid.Tile]()
        for t in 0..<pipeline.options.patchTypes {
            var c = Canvas(width: 16, height: 16, background: PatchTypeMaps.colour(t, of: pipeline.options.patchTypes))
            c.strokeRect(c.bounds, color: .black)
            legend.append(ImageGrid.Tile(image: c.image, caption: "type \(t)"))
        }
        try out.report.addFigure("patch_type_colours", ImageGrid(tiles: legend, columns: 10, tileSize: 32).render(),
                                 caption: "The hue of each patch type in the maps.")
    }

    func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
}

/// The registry entry for `task: {kind: patch-clustering}`.
public enum PatchClusteringComponent: TaskComponent {
    public static let kind = "patch-clustering"
    public static let summary = "Unsupervised galaxy types from image patches: growing neural gas + agglomerative patch types + k-means of patch-type histograms, scored against truth"

    /// The pipeline's keys and the scoring keys, side by side in the `task:` section.
    public struct Options: ComponentOptions {
        public var pipeline = PatchPipeline.Options()
        public var scoring = ScoringOptions()

        public init() {}

        public init(from decoder: Decoder) throws {
            pipeline = try PatchPipeline.Options(from: decoder)
            scoring = try ScoringOptions(from: decoder)
        }

        public func encode(to encoder: Encoder) throws {
            try pipeline.encode(to: encoder)
            try scoring.encode(to: encoder)
        }

        public func validate() throws {
            try pipeline.validate()
            try scoring.validate()
        }
    }

    public static func make(options: Options, context: ComponentContext) throws -> any ExperimentTask {
        PatchClusteringTask(options: options)
    }
}
