import Foundation
import Testing
import ClassifierPlugin
@testable import Framework

/// The FIRST radio galaxies of the `firstgalaxydata` package (Griese et al. 2023), which
/// `make first-data` installs and unpacks into data/first; third-party data, never committed.
enum FIRSTGalaxies {
    static let repository = URL(fileURLWithPath: #filePath)  // <repo>/Tests/ClassifierTests/FIRSTGalaxiesTests.swift
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var catalog: String { repository.appendingPathComponent("data/first/catalog.csv").path }
    static var experiment: String { repository.appendingPathComponent("experiments/first-galaxies.yaml").path }
    static var available: Bool { FileManager.default.fileExists(atPath: catalog) }
    static let classes = ["FRI", "FRII", "Compact", "Bent"]
    /// Galaxies per class in each part of the published split (the package's README).
    static let perClass = (train: [395, 824, 291, 248], val: [50, 50, 50, 50], test: [50, 50, 50, 50])
}

@Suite("Real data: FIRST radio galaxies (2,158, firstgalaxydata)", .serialized,
       .enabled(if: FIRSTGalaxies.available,
                "data/first/catalog.csv not found: run `make first-data` (installs the firstgalaxydata package and unpacks it); skipped"))
struct FIRSTGalaxiesTests {
    @Test func catalogHasThePublishedSplitAndGreyImages() throws {
        let ds = try CatalogDataset(catalog: FIRSTGalaxies.catalog,
                                    options: CatalogOptions(labelColumns: ["label"], verifyImages: true))
        #expect(ds.count == 2158)
        #expect(ds.skipped.isEmpty)
        let split = try ds.split(DatasetSplit.Options(column: "split"))
        let perClass = { (part: [Int]) in
            (0..<4).map { c in part.filter { ds.entries[$0].labels["label"] == Float(c) }.count }
        }
        #expect(perClass(split.train) == FIRSTGalaxies.perClass.train)
        #expect(perClass(split.val) == FIRSTGalaxies.perClass.val)
        #expect(perClass(split.test) == FIRSTGalaxies.perClass.test)
        // Every image was decoded when the catalog opened; look at a few of each part.
        for i in [split.train.first!, split.train.last!, split.val[0], split.test[0]] {
            let image = try ds.example(at: i).image
            #expect(image.shape == [1, 300, 300], "\(ds.id(at: i))")
            #expect(image.pixels.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(ds.id(at: i))")
            #expect(image.pixels.contains { $0 > 0.5 }, "\(ds.id(at: i)): no bright source")
        }
    }

    /// The experiment file itself, cut to two batches of 32 at 32 px for one epoch: the grey
    /// images reach a one-channel stem and the four-class metrics come out.
    @Test func experimentTrainsAFewBatches() throws {
        let registry = FinetuneExperimentTests.registry()
        registry.register(dataset: CatalogSource.self, plugin: "Framework")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("zoorun-first-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let overrides = ["training.epochs=1", "data.max_labels=64", "data.image_size=32", "training.workers=1"]
        let e = try Experiment.load(path: FIRSTGalaxies.experiment, overrides: overrides, registry: registry, runFolder: out)
        #expect(try e.makeDataSource().source.channels == 1)
        let task: any ExperimentTask = try e.registry.make(.task, from: e.config.task, context: e.context())
        try e.saveResolvedConfig()
        let summary = try task.run(e)
        for name in ["test_accuracy", "test_macro_f1", "test_roc_auc"] {
            let value = try #require(summary.metrics[name], "missing \(name)")
            #expect((0...1).contains(value), "\(name) \(value)")
        }
        let predictions = try CSVTable.read(path: "\(out)/predictions.csv")
        #expect(predictions.header.starts(with: ["id_str"] + FIRSTGalaxies.classes))
        #expect(predictions.rows.count == 200)
        let saved = try SafeTensors.read(path: "\(out)/checkpoints/best.safetensors")
        #expect(saved.entries.values.contains { $0.shape.count == 4 && $0.shape[1] == 1 }, "no convolution reads one channel")
    }
}
