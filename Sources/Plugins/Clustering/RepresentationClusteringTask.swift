import Foundation
import Framework

/// `task: {kind: representation-clustering}` — k-means and a Gaussian mixture on any
/// backbone's pooled representations after standardisation and PCA, scored against the
/// truth beside the raw-pixel baseline.
public struct RepresentationClusteringTask: ExperimentTask {
    public let options: RepresentationClusteringComponent.Options

    public func validate(_ experiment: Experiment) throws -> [String] {
        let (source, made) = try experiment.makeDataSource()
        var context = made
        let backbone = try experiment.makeBackbone(context: &context, for: "a representation-clustering experiment")
        _ = try TruthLabels(options.scoring.truth, dataset: source.dataset, indices: [0])
        return [source.summary, "backbone: \(type(of: backbone)), embedding width \(backbone.embeddingWidth) → PCA \(options.pcaComponents)",
                "methods: " + options.methods.map(\.rawValue).joined(separator: ", ")]
    }

    /// The fitted clusterers of one run.
    struct Fitted {
        var transform: FeatureTransform
        var kmeans: KMeans?
        var gmm: GaussianMixture?
        var bic: [(k: Int, bic: Double)] = []
    }

    static func fit(_ x: FeatureMatrix, options: RepresentationClusteringComponent.Options, seed: UInt64) throws -> Fitted {
        let t = try FeatureTransform.fit(x, standardise: options.standardise, components: options.pcaComponents)
        let z = try t.apply(x)
        var f = Fitted(transform: t)
        if options.methods.contains(.kmeans) { f.kmeans = try KMeans.fit(z, options: options.kmeans, seed: seed) }
        if options.methods.contains(.gmm) {
            if options.gmm.selectK == .bic {
                let (m, table) = try GaussianMixture.selectingByBIC(z, ks: Array(options.gmm.kRange[0]...options.gmm.kRange[1]),
                                                                    options: options.gmm.mixture, seed: seed)
                f.gmm = m
                f.bic = table
            } else {
                f.gmm = try GaussianMixture.fit(z, options: options.gmm.mixture, seed: seed)
            }
        }
        return f
    }

    static func assign(_ f: Fitted, method: RepresentationClusteringComponent.Method, _ z: FeatureMatrix) throws -> (assignments: [ClusterAssignment], k: Int) {
        switch method {
        case .kmeans: return (try f.kmeans!.assign(z), f.kmeans!.k)
        case .gmm: return (f.gmm!.assign(z), f.gmm!.k)
        }
    }

    public func run(_ experiment: Experiment) throws -> RunSummary {
        let started = Date()
        let (source, made) = try experiment.makeDataSource()
        var context = made
        let backbone = try experiment.makeBackbone(context: &context, for: "a representation-clustering experiment")
        let folder = experiment.runFolder, seed = experiment.config.seed
        let dataset = source.dataset
        let indices = Array(0..<dataset.count)
        log("zoorun: \(experiment.config.name): \(source.summary); embedding with \(type(of: backbone))")
        let truth = try TruthLabels(options.scoring.truth, dataset: dataset, indices: indices)
        let x = try Baselines.representations(backbone, dataset: dataset, indices: indices, seed: seed)
        let fitted = try Self.fit(x, options: options, seed: seed)
        let z = try fitted.transform.apply(x)
        var scores: [ClusteringScores] = []
        var primary: (assignments: [ClusterAssignment], k: Int)?
        for m in options.methods {
            let a = try Self.assign(fitted, method: m, z)
            if primary == nil { primary = a }
            scores.append(try ClusteringScores(method: "representation-\(m.rawValue)", assignments: a.assignments.map(\.cluster), clusters: a.k, truth: truth))
            log("zoorun: \(m.rawValue): k = \(a.k)")
        }
        scores += try Self.baselineScores(options.scoring, dataset: dataset, indices: indices, backbone: nil, kmeans: options.kmeans,
                                          truth: truth, seed: seed, log: log)

        try ClusteringModelFile.write(Self.entries(fitted), metadata: ["methods": options.methods.map(\.rawValue).joined(separator: ",")],
                                      task: RepresentationClusteringComponent.kind, backbone: backbone, folder: folder)
        var out = ClusteringReport(experiment: experiment)
        let (assignments, k) = primary!
        out.report.addSummary("data", source.summary)
        out.report.addSummary("representations", "\(type(of: backbone)), width \(backbone.embeddingWidth) → \(options.standardise ? "standardised, " : "")PCA \(fitted.transform.outputWidth) (\(String(format: "%.0f", 100 * fitted.transform.explainedVarianceRatio.reduce(0, +))) % of the variance)")
        if let km = fitted.kmeans { out.report.addSummary("k-means", "k = \(km.k), inertia \(String(format: "%.4g", km.inertia)), \(km.iterations) iterations") }
        if let g = fitted.gmm {
            out.report.addSummary("Gaussian mixture", "k = \(g.k) (\(options.gmm.selectK == .bic ? "lowest BIC of k \(options.gmm.kRange[0])…\(options.gmm.kRange[1])" : "fixed")), \(g.covariance.rawValue) covariance, BIC \(String(format: "%.1f", g.bic(points: z.rows))), \(g.converged ? "converged" : "not converged") in \(g.iterations) iterations")
        }
        out.report.addSummary("time", String(format: "%.0f s", Date().timeIntervalSince(started)))
        let ids = indices.map { dataset.id(at: $0) }
        try out.addAssignments(ids: ids, assignments)
        out.report.addSection("Galaxy clusters")
        let method = scores[0].method
        try out.addSizes(assignments, clusters: k, method: method)
        try out.addGallery(dataset: dataset, indices: indices, assignments, clusters: k, perCluster: options.scoring.galleryPerCluster, method: method)
        if !fitted.bic.isEmpty {
            let series = LinePlot.Series(name: "BIC", x: fitted.bic.map { Double($0.k) }, y: fitted.bic.map(\.bic))
            try out.report.addFigure("bic", LinePlot(series: [series], title: "Gaussian mixture: BIC by k", xLabel: "k", yLabel: "BIC").render(),
                                     caption: "BIC of the \(options.gmm.mixture.covariance.rawValue)-covariance mixture for each k; the lowest is kept.")
        }
        try out.addScores(scores, truth: truth)
        return try out.finish(experiment: experiment, metrics: ["clusters": Double(k)], scores: scores, truth: truth,
                              describing: "clusters.csv: each galaxy's cluster under \(method), distance to the centre (PCA space) and second-best cluster; scores.csv and contingency_*.csv: the scores against the truth; \(ClusteringModelFile.relativePath): the transform, the clusterers and the backbone, for `zoorun predict`.")
    }

    static func entries(_ f: Fitted) -> [SafeTensorsEntry] {
        var e = f.transform.entries(prefix: "transform.")
        if let km = f.kmeans { e.append(SafeTensorsEntry(name: "kmeans.centres", shape: [km.k, km.centres.cols], values: km.centres.values)) }
        if let g = f.gmm {
            let d = g.dimensions
            e.append(SafeTensorsEntry(name: "gmm.weights", shape: [g.k], values: g.weights.map(Float.init)))
            e.append(SafeTensorsEntry(name: "gmm.means", shape: [g.k, d], values: g.means.joined().map(Float.init)))
            e.append(SafeTensorsEntry(name: "gmm.factors", shape: [g.k, g.factors[0].count], values: g.factors.joined().map(Float.init)))
        }
        return e
    }

    /// Scores of the baselines: k-means on PCA of raw pixels, and (with a backbone) k-means
    /// on its representations after PCA.
    static func baselineScores(_ scoring: ScoringOptions, dataset: any Dataset, indices: [Int], backbone: (any Backbone)?,
                               kmeans: KMeans.Options, truth: TruthLabels, seed: UInt64, log: (String) -> Void) throws -> [ClusteringScores] {
        guard scoring.baselines, !truth.names.isEmpty else { return [] }
        var out: [ClusteringScores] = []
        log("zoorun: baseline: k-means on PCA(\(scoring.baselineComponents)) of raw pixels")
        let pixels = try Baselines.rawPixels(dataset, indices: indices)
        let p = try Baselines.kmeansAfterPCA(pixels, components: scoring.baselineComponents, kmeans: kmeans, seed: seed)
        out.append(try ClusteringScores(method: "pixels-pca-kmeans", assignments: p.assignments.map(\.cluster), clusters: kmeans.k, truth: truth))
        if let backbone {
            log("zoorun: baseline: k-means on PCA(\(scoring.baselineComponents)) of \(type(of: backbone)) representations")
            let r = try Baselines.representations(backbone, dataset: dataset, indices: indices, seed: seed)
            let e = try Baselines.kmeansAfterPCA(r, components: scoring.baselineComponents, kmeans: kmeans, seed: seed)
            out.append(try ClusteringScores(method: "encoder-pca-kmeans", assignments: e.assignments.map(\.cluster), clusters: kmeans.k, truth: truth))
        }
        return out
    }

    func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
}

/// The registry entry for `task: {kind: representation-clustering}`.
public enum RepresentationClusteringComponent: TaskComponent {
    public static let kind = "representation-clustering"
    public static let summary = "k-means and a Gaussian mixture (full/diagonal, k fixed or by BIC) on a backbone's pooled representations after PCA, scored against truth"

    public enum Method: String, Codable, Sendable, CaseIterable { case kmeans, gmm }
    public enum SelectK: String, Codable, Sendable { case fixed, bic }

    public struct MixtureOptions: Codable, Sendable, Equatable {
        public var k = 8
        public var covariance: GaussianMixture.Covariance = .full
        /// `bic`: fit every k in `k_range` and keep the lowest BIC.
        public var selectK: SelectK = .fixed
        public var kRange = [2, 12]
        public var maxIterations = 100

        public init() {}

        enum CodingKeys: String, CodingKey { case k, covariance, selectK = "select_k", kRange = "k_range", maxIterations = "max_iterations" }

        var mixture: GaussianMixture.Options { GaussianMixture.Options(k: k, covariance: covariance, maxIterations: maxIterations) }
    }

    public struct Options: ComponentOptions {
        /// PCA dimensions after standardisation.
        public var pcaComponents = 16
        public var standardise = true
        /// The clusterers; the first one's assignments go to clusters.csv and predict.
        public var methods: [Method] = [.kmeans, .gmm]
        public var kmeans = KMeans.Options()
        public var gmm = MixtureOptions()
        public var scoring = ScoringOptions()

        public init() {}

        enum CodingKeys: String, CodingKey { case pcaComponents = "pca_components", standardise, methods, kmeans, gmm }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Options.defaults
            pcaComponents = try c.decodeIfPresent(Int.self, forKey: .pcaComponents) ?? d.pcaComponents
            standardise = try c.decodeIfPresent(Bool.self, forKey: .standardise) ?? d.standardise
            methods = try c.decodeIfPresent([Method].self, forKey: .methods) ?? d.methods
            kmeans = try c.decodeIfPresent(KMeans.Options.self, forKey: .kmeans) ?? d.kmeans
            gmm = try c.decodeIfPresent(MixtureOptions.self, forKey: .gmm) ?? d.gmm
            scoring = try ScoringOptions(from: decoder)
        }

        static var defaults: Options { Options() }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(pcaComponents, forKey: .pcaComponents)
            try c.encode(standardise, forKey: .standardise)
            try c.encode(methods, forKey: .methods)
            try c.encode(kmeans, forKey: .kmeans)
            try c.encode(gmm, forKey: .gmm)
            try scoring.encode(to: encoder)
        }

        public func validate() throws {
            if pcaComponents < 1 { throw ConfigError(file: "task", message: "pca_components must be ≥ 1") }
            if methods.isEmpty { throw ConfigError(file: "task", message: "methods must list kmeans and/or gmm") }
            try kmeans.validate("task.kmeans")
            if gmm.kRange.count != 2 || gmm.kRange[0] < 1 || gmm.kRange[0] > gmm.kRange[1] {
                throw ConfigError(file: "task", message: "gmm.k_range must be [low, high] with 1 ≤ low ≤ high")
            }
            if gmm.k < 1 { throw ConfigError(file: "task", message: "gmm.k must be ≥ 1") }
            try scoring.validate()
        }
    }

    public static func make(options: Options, context: ComponentContext) throws -> any ExperimentTask {
        RepresentationClusteringTask(options: options)
    }
}
