import TestSupport
import ClassifierPlugin
import Foundation
import Testing
@testable import Framework

/// Labels in catalogs: `predict` runs on galaxies without labels, and a training catalog's
/// labels are checked against the head's classes.
@Suite("Catalog labels: unlabelled prediction, class checks", .serialized)
struct CatalogLabelTests {
    static let pngs = ["images/g1.png", "images/g2.png", "images/g3.png", "images/g4.png"]

    /// A one-epoch two-class run on simulated galaxies, reloaded as `zoorun predict` does.
    static func trainedRun() throws -> (TemporaryFolder, TrainedRun) {
        let t = FinetuneExperimentTests()
        let (dir, path) = try t.write(epochs: 1)
        _ = try t.run(path, out: "\(dir)/run", overrides: ["task.mc_samples=1"])
        let folder = try TemporaryFolder("predict")
        return (folder, try TrainedRun(path: "\(dir)/run", registry: FinetuneExperimentTests.registry()))
    }

    func predict(_ run: TrainedRun, header: String, cells: [String]) throws -> (Evaluation, [String]) {
        let rows = cells.enumerated().map { k, c in "g\(k + 1),images/g\(k + 1).png" + (c == "-" ? "" : ",\(c)") }
        let f = try CatalogFixture(header: header, rows: rows, pngs: Self.pngs)
        let (catalog, notes) = try run.predictionCatalog(f.catalog)
        let loader = try DataLoader(dataset: catalog, options: DataLoaderOptions(batchSize: 3, shuffle: false, workers: 1))
        return (try Evaluation.run(model: run.model, loader: loader, mcSamples: 1), notes)
    }

    /// `zoorun predict` finds the predictor by the run's task kind: the registry, not the
    /// Runner, knows that finetuning runs write a predictions CSV.
    @Test func predictDispatchesByTheRunsTaskKind() throws {
        let t = FinetuneExperimentTests()
        let (dir, path) = try t.write(epochs: 1)
        _ = try t.run(path, out: "\(dir)/run", overrides: ["task.mc_samples=1"])
        let f = try CatalogFixture(header: "id_str,file_loc,ring", rows: ["g1,images/g1.png,1", "g2,images/g2.png,0"],
                                   pngs: Array(Self.pngs.prefix(2)))
        let without = FinetuneExperimentTests.registry()
        let run = try RunFolder(path: "\(dir)/run", registry: without)
        #expect(run.taskKind == "finetune")
        #expect { try without.predictor(for: run) } throws: { "\($0)".contains("runs of task 'finetune' cannot be reloaded") }
        let registry = FinetuneExperimentTests.registry()
        registry.register(predictor: ClassifierPredictor.self, plugin: "Classifier")
        let out = f.dir.file("predictions.csv")
        let lines = try registry.predictor(for: RunFolder(path: "\(dir)/run", registry: registry))
            .predict(PredictionRequest(run: RunFolder(path: "\(dir)/run", registry: registry), catalog: f.catalog, out: out))
        #expect(lines.first == "wrote \(out): 2 galaxies")
        #expect(lines.contains { $0.hasPrefix("  accuracy: ") })
        let table = try CSVTable.read(path: out)
        #expect(table.rows.count == 2 && table.header.first == "id_str")
        let embedder = try #require(try ClassifierPredictor.embedder(run))
        let embedding = try DatasetEmbedding(embedder, dataset: CatalogDataset(catalog: f.catalog,
                                                                                options: CatalogOptions(imageSize: run.imageSize)))
        #expect(embedding.rows.count == 2 && embedding.width > 0)
    }

    @Test func predictsEveryGalaxyAndScoresOnlyTheLabelled() throws {
        let (_, run) = try Self.trainedRun()
        // No label column at all (a new survey's catalog).
        let (bare, bareNotes) = try predict(run, header: "id_str,file_loc", cells: ["-", "-", "-", "-"])
        #expect(bare.ids == ["g1", "g2", "g3", "g4"] && bare.mean.count == 4)
        #expect(bare.scored == 0 && bare.metrics.isEmpty && bareNotes.isEmpty)
        // Empty, NaN and out-of-range cells are predicted and left unscored; batches mix both.
        let (mixed, notes) = try predict(run, header: "id_str,file_loc,ring", cells: ["1", "", "NaN", "0"])
        #expect(mixed.ids.count == 4 && mixed.scored == 2)
        #expect(mixed.metrics["accuracy"] != nil && mixed.loss.isFinite)
        #expect(notes == ["2 of 4 galaxies have no usable 'ring' label and are not scored"])
        let (invalid, invalidNotes) = try predict(run, header: "id_str,file_loc,ring", cells: ["-1", "1", "0", "1"])
        #expect(invalid.ids.count == 4 && invalid.scored == 3)
        #expect(invalidNotes.count == 1 && invalidNotes[0].contains("data row 1 (file line 2), column 'ring': '-1' is not a class index"))
        // What `predict` did before: the catalog read as a plain labelled catalog.
        let f = try CatalogFixture(header: "id_str,file_loc,ring", rows: ["g1,images/g1.png,", "g2,images/g2.png,1"], pngs: Self.pngs)
        let plain = try CatalogDataset(catalog: f.catalog, options: CatalogOptions(labelColumns: ["ring"], imageSize: 32))
        let loader = try DataLoader(dataset: plain, options: DataLoaderOptions(batchSize: 2, shuffle: false, workers: 1))
        #expect(try Evaluation.run(model: run.model, loader: loader, mcSamples: 1).scored == 1)
    }

    static func registry() -> Registry {
        let r = FinetuneExperimentTests.registry()
        r.register(dataset: CatalogSource.self, plugin: "Framework")
        return r
    }

    /// An experiment training a two-class head on a catalog whose `ring` cells are `cells`.
    func validate(cells: [String]) throws -> [String] {
        let rows = cells.enumerated().map { k, c in "g\(k + 1),images/g\(k + 1).png,\(c)" }
        let f = try CatalogFixture(header: "id_str,file_loc,ring", rows: rows, pngs: Self.pngs)
        let yaml = """
        name: labels
        task:
          kind: finetune
        data:
          kind: catalog
          catalog: catalog.csv
          labels: [ring]
          image_size: 32
          train: 0.5
          val: 0.25
          test: 0.25
        backbone:
          kind: compact
        head:
          kind: linear-classifier
          label: ring
        """
        let path = try f.dir.write("labels.yaml", text: yaml)
        let e = try Experiment.load(path: path, registry: Self.registry(), runFolder: f.dir.file("run"))
        let task: any ExperimentTask = try e.registry.make(.task, from: e.config.task, context: e.context())
        return try task.validate(e)
    }

    @Test(arguments: ["NaN", "-1", "2", "1.5"])
    func invalidClassLabelIsAnErrorNamingTheCell(_ value: String) throws {
        #expect { _ = try validate(cells: ["1", "0", value, "1"]) } throws: { e in
            let text = "\(e)"
            return text.contains("catalog.csv: data row 3 (file line 4), column 'ring': '\(value)' is not a class index in 0..<2")
        }
    }

    /// `data.weight_column` reaches the examples the loader batches.
    @Test func weightColumnFromYAMLReachesTheExamples() throws {
        let rows = (1...4).map { "g\($0),images/g\($0).png,\($0 % 2),\($0)" }
        let f = try CatalogFixture(header: "id_str,file_loc,ring,w", rows: rows, pngs: Self.pngs)
        let yaml = "name: w\ntask: {kind: finetune}\ndata: {kind: catalog, catalog: catalog.csv, labels: [ring], weight_column: w, image_size: 32}\nbackbone: {kind: compact}\nhead: {kind: linear-classifier, label: ring}\n"
        let path = try f.dir.write("w.yaml", text: yaml)
        let e = try Experiment.load(path: path, registry: Self.registry(), runFolder: f.dir.file("run"))
        let source = try e.makeDataSource().source
        #expect(try (0..<4).map { try source.dataset.example(at: $0).weight } == [1, 2, 3, 4])
    }

    /// `data.synthetic` adds generated images to the training split and nowhere else.
    @Test func syntheticImagesJoinTheTrainingSplitOnly() throws {
        let real = try CatalogFixture(header: "id_str,file_loc,ring", rows: (1...4).map { "g\($0),images/g\($0).png,\($0 % 2)" }, pngs: Self.pngs)
        let fake = try CatalogFixture(header: "id_str,file_loc,ring,synthetic",
                                      rows: (1...3).map { "synthetic_\($0),images/g\($0).png,1,1" }, pngs: Array(Self.pngs.prefix(3)))
        func source(_ synthetic: String) throws -> DataSource {
            let yaml = "name: mix\ntask: {kind: finetune}\ndata: {kind: catalog, catalog: catalog.csv, labels: [ring], image_size: 32, train: 0.5, val: 0.25, test: 0.25, synthetic: \(synthetic)}\nbackbone: {kind: compact}\nhead: {kind: linear-classifier, label: ring}\n"
            let path = try real.dir.write("mix.yaml", text: yaml)
            return try Experiment.load(path: path, registry: Self.registry(), runFolder: real.dir.file("run")).makeDataSource().source
        }
        let mixed = try source("{catalog: \(fake.catalog), max: 2}")
        #expect(mixed.dataset.count == 6)
        #expect(mixed.train.filter { $0 >= 4 } == [4, 5] && mixed.train.filter { $0 < 4 }.count == 2)
        #expect((mixed.val + mixed.test).allSatisfy { $0 < 4 }, "validation and test stay real")
        let labels = try mixed.dataset.targets(at: 5).labels
        #expect(mixed.dataset.id(at: 4).hasPrefix("synthetic_") && labels == ["ring": 1])
        #expect(mixed.summary.contains("+ 2 synthetic"))
        #expect(try source("{catalog: \(fake.catalog)}").dataset.count == 7)
        #expect { _ = try source("{catalog: \(fake.catalog), maximum: 2}") } throws: { "\($0)".contains("maximum") }
        let unlabelled = try CatalogFixture(header: "id_str,file_loc", rows: ["s1,images/g1.png"], pngs: ["images/g1.png"])
        #expect { _ = try source("{catalog: \(unlabelled.catalog)}") } throws: { "\($0)".contains(unlabelled.catalog) && "\($0)".contains("ring") }
    }

    @Test func emptyLabelIsAGalaxyWithoutALabel() throws {
        let lines = try validate(cells: ["1", "0", "", "1"])
        #expect(!lines.isEmpty)
    }
}
