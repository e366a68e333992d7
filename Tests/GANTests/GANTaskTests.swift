import Foundation
import Framework
import TestSupport
import Testing
@testable import GANPlugin

@Suite("The gan task from YAML", .serialized)
struct GANTaskTests {
    static let yaml = """
    name: tiny-gan
    seed: 3
    task: {kind: gan, latent: 16, generator_width: 8, discriminator_width: 8, grid_samples: 16EXTRA}
    data:
      kind: simulated-galaxies
      count: 48
      train: 0.5
      val: 0.25
      test: 0.25
      simulator: {image_size: 32}
    training: {epochs: 2, batch_size: 12, workers: 1TRAINING}
    """

    let dir: TemporaryFolder
    init() throws { dir = try TemporaryFolder("zoorun-gan-task") }

    func experiment(extra: String = "", training: String = "", name: String) throws -> (Experiment, any ExperimentTask) {
        let r = Registry.simulatedForTests()
        r.register(task: GANComponent.self, plugin: "GAN")
        let text = Self.yaml.replacingOccurrences(of: "EXTRA", with: extra).replacingOccurrences(of: "TRAINING", with: training)
        let path = try dir.write("\(name).yaml", text: text)
        let e = try Experiment.load(path: path, registry: r, runFolder: dir.file(name))
        try e.saveResolvedConfig()
        return (e, try r.make(.task, from: e.config.task, context: e.context()))
    }

    @Test func aRunLeavesGridsCurvesQualityAndAReport() throws {
        let (e, task) = try experiment(extra: ", class_label: ring, classes: 2, stabiliser: spectral_norm", name: "run")
        let lines = try task.validate(e)
        #expect(lines.joined().contains("conditional on ring"), "\(lines)")
        let summary = try task.run(e)
        let folder = dir.file("run")
        for f in ["report.html", "plots/loss.png", "plots/samples.png", "plots/samples_progress.png", "plots/samples/epoch_001.png",
                  "plots/samples/epoch_002.png", "quality.csv", "test_metrics.json", "checkpoints/last.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(f)"), "\(f)")
        }
        for key in ["test_fid", "test_fid_floor", "test_kid", "test_kid_floor", "test_precision", "test_recall"] {
            #expect(summary.metrics[key]?.isFinite == true, "\(key): \(summary.metrics)")
        }
        // Two epochs of a tiny GAN are far from the data; two halves of the data are not.
        #expect(summary.metrics["test_fid"]! > summary.metrics["test_fid_floor"]!)
        let header = try String(contentsOfFile: "\(folder)/metrics.csv", encoding: .utf8).split(separator: "\n")[0]
        for key in ["train_d_loss", "train_g_loss", "train_d_real", "train_d_fake", "val_diversity_ratio"] {
            #expect(header.contains(key), "\(key) in \(header)")
        }
        let html = try String(contentsOfFile: "\(folder)/report.html", encoding: .utf8)
        #expect(html.contains("not comparable to published FIDs") && html.contains("floor"))

        // zoorun generate: dispatch by the run's task kind, a catalog any experiment reads.
        let r = Registry.simulatedForTests()
        r.register(generator: GANRunGenerator.self, plugin: "GAN")
        r.register(dataset: CatalogSource.self, plugin: "Framework")
        let out = dir.file("synthetic")
        let generated = try r.generate(run: folder, count: 6, classIndex: 1, catalog: out)
        #expect(generated.first?.contains("wrote 6") == true, "\(generated)")
        let csv = try CSVTable(parsing: String(contentsOfFile: "\(out)/catalog.csv", encoding: .utf8))
        #expect(csv.header == ["id_str", "file_loc", "synthetic", "ring"])
        #expect(csv.rows.count == 6 && csv.rows.allSatisfy { $0[2] == "1" && $0[3] == "1" })
        let node = try ConfigDecoder.parse("{kind: catalog, catalog: \(out)/catalog.csv, labels: [ring], image_size: 32}", file: "data")
        let source: DataSource = try r.make(.dataset, from: ConfigNode(node: node, source: ConfigSource(file: "data", text: "")),
                                            context: e.context())
        #expect(source.dataset.count == 6 && source.channels == 3)
        #expect(try source.dataset.example(at: 0).labels["ring"] == 1)
        #expect { try r.generate(run: folder, count: 2, classIndex: 5, catalog: out) } throws: { "\($0)".contains("outside 0..<2") }
        #expect { try r.generate(run: dir.file("nothing"), count: 2, classIndex: nil, catalog: out) } throws: { "\($0)".contains("config.yaml") }
    }

    @Test func trainingKeysTheGANIgnoresAreErrors() throws {
        let (e, task) = try experiment(training: ", learning_rate: 0.01", name: "bad")
        #expect { try task.validate(e) } throws: { "\($0)".contains("training.learning_rate") && "\($0)".contains("generator_lr") }
    }
}
