import Foundation
import Testing
import Framework
import TestSupport
@testable import ClusteringPlugin

/// Both tasks run from YAML on a few small simulated galaxies, leave a complete run folder,
/// and their saved models assign galaxies exactly as the run did.
@Suite struct ClusteringTaskTests {
    let dir: TemporaryFolder
    init() throws { dir = try TemporaryFolder("zoorun-clustering") }

    static let data = """
        data:
          kind: simulated-galaxies
          count: 30
          simulator: {image_size: 32}
        """

    func run(_ yaml: String, name: String) throws -> (Experiment, RunSummary) {
        let r = Registry.simulatedForTests()
        r.register(task: PatchClusteringComponent.self, plugin: "Clustering")
        r.register(task: RepresentationClusteringComponent.self, plugin: "Clustering")
        let path = try dir.write("\(name).yaml", text: yaml)
        let e = try Experiment.load(path: path, registry: r, runFolder: dir.file(name))
        try e.saveResolvedConfig()
        let task: any ExperimentTask = try r.make(.task, from: e.config.task, context: e.context())
        _ = try task.validate(e)
        return (e, try task.run(e))
    }

    func clusters(_ folder: String) throws -> [[String]] {
        let t = try CSVTable.read(path: "\(folder)/clusters.csv")
        #expect(t.header == ["id_str", "cluster", "distance", "second_best"])
        return t.rows
    }

    func checkRunFolder(_ folder: String, summary: RunSummary, methods: [String]) throws {
        for f in ["report.html", "clusters.csv", "scores.csv", "metrics.json", "plots/gallery.png", "plots/cluster_sizes.png",
                  "plots/scores_nmi.png", ClusteringModelFile.relativePath] {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(f)"), "\(f) missing")
        }
        for m in methods {
            for label in ["morphology", "ring"] {
                let nmi = try #require(summary.metrics["\(m)_\(label)_nmi"], "no \(m) score for \(label)")
                #expect(nmi >= 0 && nmi <= 1)
                #expect(FileManager.default.fileExists(atPath: "\(folder)/contingency_\(m)_\(label).csv"))
            }
        }
        let html = try String(contentsOfFile: "\(folder)/report.html", encoding: .utf8)
        #expect(html.contains("Scores against the truth") && html.contains(methods[0]))
    }

    @Test func patchClusteringRunsAndItsModelReassignsTheGalaxies() throws {
        let (e, summary) = try run("""
            name: patches
            seed: 1
            task:
              kind: patch-clustering
              patch: {size: 8, stride: 4, min_snr: 3}
              gng: {max_nodes: 30, lambda: 10}
              epochs: 1
              patch_types: 6
              galaxy_clusters: {k: 3, restarts: 2}
              truth: [morphology, ring]
              gallery_per_cluster: 3
              maps: 2
            \(Self.data)
            """, name: "patches")
        let folder = e.runFolder
        try checkRunFolder(folder, summary: summary, methods: ["patches-gng", "pixels-pca-kmeans"])
        #expect(FileManager.default.fileExists(atPath: "\(folder)/plots/patch_type_maps.png"))
        #expect(summary.metrics["encoder-pca-kmeans_ring_nmi"] == nil, "no backbone, no encoder baseline")
        #expect(summary.metrics["gng_nodes"] == 30)
        let rows = try clusters(folder)
        #expect(rows.count == 30)
        // The saved pipeline assigns the same galaxies to the same clusters.
        let dataset = try e.makeDataSource().source.dataset
        let again = try ClusteringPredictor.assign(experiment: e, checkpoint: "\(folder)/\(ClusteringModelFile.relativePath)", dataset: dataset)
        #expect(again.map { String($0.cluster) } == rows.map { $0[1] })
        #expect(again.map { String($0.secondBest) } == rows.map { $0[3] })
    }

    @Test func representationClusteringRunsAndPredictsACatalog() throws {
        let (e, summary) = try run("""
            name: reps
            seed: 2
            task:
              kind: representation-clustering
              pca_components: 4
              methods: [gmm, kmeans]
              kmeans: {k: 3}
              gmm: {covariance: diagonal, select_k: bic, k_range: [2, 4]}
              truth: [morphology, ring]
              gallery_per_cluster: 2
            \(Self.data)
            backbone: {kind: compact}
            """, name: "reps")
        let folder = e.runFolder
        try checkRunFolder(folder, summary: summary, methods: ["representation-gmm", "representation-kmeans", "pixels-pca-kmeans"])
        #expect(FileManager.default.fileExists(atPath: "\(folder)/plots/bic.png"))
        let rows = try clusters(folder)
        let dataset = try e.makeDataSource().source.dataset
        // The run as `zoorun predict` reloads it: the backbone rebuilt without weights, which
        // the model file restores.
        let run = try RunFolder(path: folder, registry: e.registry)
        let rebuilt = run.experiment, checkpoint = run.checkpoint
        let again = try ClusteringPredictor.assign(experiment: rebuilt, checkpoint: checkpoint, dataset: dataset)
        #expect(again.map { String($0.cluster) } == rows.map { $0[1] })
        // And through a catalog of PNGs, as `zoorun predict` reads it.
        let sims = try SimulatedGalaxies(seed: 9, count: 5, options: { var o = SimulatorOptions(); o.imageSize = 32; return o }())
        try sims.writeCatalog(to: dir.file("new"), format: .png)
        let lines = try ClusteringPredictor.predict(PredictionRequest(run: run, catalog: dir.file("new/catalog.csv"), out: dir.file("new/clusters.csv"),
                                                                      mcSamples: 1, tta: nil, labels: []))
        let embedder = try #require(try ClusteringPredictor.embedder(run))
        #expect(try embedder.embed(Tensor.zeros([1, 3, 32, 32])).shape.first == 1)
        #expect(lines[0].contains("5 galaxies"))
        let predicted = try CSVTable.read(path: dir.file("new/clusters.csv"))
        #expect(predicted.rows.count == 5)
        let k = Int(summary.metrics["clusters"]!)
        #expect(predicted.rows.allSatisfy { Int($0[1]).map { (0..<k).contains($0) } ?? false })
    }

    @Test func aMistypedKeyIsAnErrorNamingIt() throws {
        do {
            _ = try run("""
                name: typo
                task: {kind: patch-clustering, gng: {max_node: 10}}
                \(Self.data)
                """, name: "typo")
            Issue.record("a mistyped key was accepted")
        } catch {
            #expect("\(error)".contains("max_node"), "\(error)")
        }
    }
}
