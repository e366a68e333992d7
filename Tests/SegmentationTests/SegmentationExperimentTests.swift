import TestSupport
import Foundation
import Testing
@testable import Framework
@testable import SegmentationPlugin

@Suite("Segmentation experiments from YAML", .serialized)
struct SegmentationExperimentTests {
    static let yaml = """
    name: seg-test
    seed: 4
    task:
      kind: segmentation
      masks: [bar, spiral]
      soft_truth: [bar_fraction, spiral_fraction]
      loss: dice_bce
      tta: c4
      gallery: 3
    data:
      kind: simulated-galaxies
      count: 120
      simulator: {image_size: 48, morphologies: {disk: 0.9, elliptical: 0.05, edge_on: 0.03, artifact: 0.02}, features: {bar: 0.8, spiral: 0.9}}
    backbone: {kind: compact, pretrained: PRETRAINED}
    training: {epochs: 5, batch_size: 16, learning_rate: 0.003, warmup_epochs: 0, patience: 0, workers: 1, monitor: val_iou, monitor_mode: max}
    """

    /// The GZ-pretrained compact encoder the repository ships (experiments/pretrain-gz-4k.yaml):
    /// it learns masks in a few epochs where a random encoder needs many.
    static let pretrained = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("checkpoints/compact-gz.safetensors").path

    let dir: TemporaryFolder
    init() throws { dir = try TemporaryFolder("zoorun-segmentation") }

    func experiment(_ text: String, folder: String) throws -> (Experiment, any ExperimentTask) {
        let r = Registry.simulatedForTests()
        r.register(task: SegmentationComponent.self, plugin: "Segmentation")
        r.register(decoder: UNetDecoderComponent.self, plugin: "Segmentation")
        r.register(decoder: ResidualUNetComponent.self, plugin: "Segmentation")
        r.register(section: "decoder", category: .decoder)
        let path = try dir.write("\(folder).yaml", text: text.replacingOccurrences(of: "PRETRAINED", with: Self.pretrained))
        let e = try Experiment.load(path: path, registry: r, runFolder: dir.file(folder))
        try e.saveResolvedConfig()
        let task: any ExperimentTask = try r.make(.task, from: e.config.task, context: e.context())
        return (e, task)
    }

    @Test func trainsAndBeatsAnAllBackgroundPredictor() throws {
        let (e, task) = try experiment(Self.yaml, folder: "run")
        _ = try task.validate(e)
        let summary = try task.run(e)
        let folder = dir.file("run")
        // Predicting no bar and no arms anywhere has IoU 0 with every galaxy that has one,
        // and a pixel AUC of ½. (Bars, a few pixels wide at 48 px, need more than these five
        // short epochs to pass 0.5 in probability; their AUC shows they are being found.)
        let iou = try #require(summary.metrics["test_iou_50"])
        #expect(iou > 0.1, "test IoU \(iou)")
        #expect((summary.metrics["test_iou_50_spiral"] ?? 0) > 0.15, "\(summary.metrics)")
        for c in ["bar", "spiral"] {
            #expect((summary.metrics["test_pixel_auc_\(c)"] ?? 0) > 0.7, "\(c): \(summary.metrics)")
        }
        let csv = try String(contentsOfFile: "\(folder)/metrics.csv", encoding: .utf8)
        for column in ["train_bar_dice_bce", "train_spiral_dice_bce", "val_iou", "val_iou_bar", "val_dice_spiral"] {
            #expect(csv.contains(column), "metrics.csv logs \(column)")
        }
        let table = try CSVTable.read(path: "\(folder)/mask_metrics.csv")
        let testCount = summary.files.contains("masks/") ? Set(try #require(table.column("id_str"))).count : 0
        #expect(table.rows.count == 2 * testCount && testCount == 24, "one row per test galaxy and mask: \(table.rows.count)")
        let id = table.rows[0][0]
        let mask = try PNGCodec.read(path: "\(folder)/masks/\(id)_bar.png")
        #expect(mask.channels == 1 && mask.width == 48 && mask.height == 48)
        // Shapes: every test galaxy with a true bar (arms) has a row; the metrics count them.
        let shapes = try CSVTable.read(path: "\(folder)/mask_shapes.csv")
        let kinds = try #require(shapes.column("shape"))
        let measured = (summary.metrics["test_pitch_angle_spiral_measured"] ?? 0) + (summary.metrics["test_pitch_angle_spiral_missed"] ?? 0)
        #expect(Double(kinds.filter { $0 == "pitch_angle" }.count) == measured && measured > 0, "\(summary.metrics)")
        #expect(summary.metrics["test_bar_length_bar_missed"] != nil)
        for f in ["report.html", "plots/loss.png", "plots/mask_gallery.png", "plots/mask_calibration.png", "test_metrics.json",
                  "checkpoints/best.safetensors", "mask_shapes.csv"] {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(f)"), "\(f)")
        }
    }

    @Test func residualUNetTrainsWithoutABackbone() throws {
        var text = Self.yaml.replacingOccurrences(of: "backbone: {kind: compact, pretrained: PRETRAINED}\n", with: "decoder: {kind: residual-unet, base_filters: 4}\n")
        text = text.replacingOccurrences(of: "gallery: 3", with: "gallery: 0\n  save_masks: false")
        text = text.replacingOccurrences(of: "count: 120", with: "count: 40").replacingOccurrences(of: "epochs: 5", with: "epochs: 1")
        let (e, task) = try experiment(text, folder: "residual")
        let lines = try task.validate(e)
        #expect(lines.contains { $0.contains("residual U-Net, widths [4, 8, 16, 32]") }, "\(lines)")
        let summary = try task.run(e)
        #expect(summary.metrics["test_soft_dice_bar"] != nil)
    }

    @Test func configMistakesAreNamed() throws {
        let typo = Self.yaml.replacingOccurrences(of: "masks: [bar, spiral]", with: "masks: [bar, spirals]")
        let (e, task) = try experiment(typo, folder: "typo")
        #expect { _ = try task.validate(e) } throws: { "\($0)".contains("'spirals'") && "\($0)".contains("spiral_fraction") }

        let both = Self.yaml + "\ndecoder: {kind: residual-unet}\n"
        let (e2, task2) = try experiment(both, folder: "both")
        #expect { _ = try task2.validate(e2) } throws: { "\($0)".contains("remove the `backbone:` section") }

        let weights = Self.yaml.replacingOccurrences(of: "gallery: 3", with: "class_weights: [1]")
        #expect { _ = try experiment(weights, folder: "weights") } throws: { "\($0)".contains("class_weights") }
    }
}
