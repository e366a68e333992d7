import DetectionPlugin
import Framework
import Foundation
import TestSupport
import Testing

/// A short detection run from YAML on simulated clumps, through the framework's one run.
@Suite("Detection trains from YAML and leaves a run", .serialized)
struct DetectionTrainingTests {
    static let yaml = """
    name: clumps-test
    seed: 3
    task: {kind: detection, gallery: 4}
    data:
      kind: simulated-galaxies
      count: COUNT
      simulator: {image_size: 48, morphologies: {elliptical: 0, disk: 1, edge_on: 0, artifact: 0}, features: {clumps: 1, stars: 0, merger: 0}}
    backbone: {kind: compact, pretrained: PRETRAINED}
    augmentation: {flips: true, rot90: true, crop: false}
    training: {epochs: EPOCHS, batch_size: 8, learning_rate: 0.002, warmup_epochs: 0, patience: 0, workers: 1, monitor: val_ap50, monitor_mode: max}
    """

    let dir: TemporaryFolder
    init() throws { dir = try TemporaryFolder("zoorun-detection") }

    func experiment(count: Int, epochs: Int, name: String) throws -> Experiment {
        let r = Registry.simulatedForTests()
        r.register(task: DetectionComponent.self, plugin: "Detection")
        // The project's GZ-pretrained compact encoder: a detector on it learns in a few epochs.
        let weights = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../checkpoints/compact-gz.safetensors").standardized.path
        let text = Self.yaml.replacingOccurrences(of: "COUNT", with: "\(count)").replacingOccurrences(of: "EPOCHS", with: "\(epochs)")
            .replacingOccurrences(of: "PRETRAINED", with: weights)
        let path = try dir.write("\(name).yaml", text: text)
        let e = try Experiment.load(path: path, registry: r, runFolder: dir.file(name))
        try e.saveResolvedConfig()
        return e
    }

    /// AP50 of a trivial detector on the same galaxies: 8 boxes of the median true size at
    /// random positions with random scores.
    static func randomBaseline(truth: [[BoundingBox]], size: Int) throws -> Double {
        let sides = truth.joined().map(\.width).sorted()
        let side = sides[sides.count / 2]
        var rng = RandomGenerator(seed: 9)
        let guesses = truth.map { _ in
            (0..<8).map { _ in
                let x = rng.uniform() * (Float(size) - side), y = rng.uniform() * (Float(size) - side)
                return DetectionMetrics.Detection(box: BoundingBox(x1: x, y1: y, x2: x + side, y2: y + side), score: rng.uniform())
            }
        }
        return try DetectionMetrics(detections: guesses, groundTruth: truth).vocAP50
    }

    @Test func trainsOnSimulatedClumpsAndBeatsARandomBaseline() throws {
        let e = try experiment(count: 120, epochs: 6, name: "run")
        let task: any ExperimentTask = try e.registry.make(.task, from: e.config.task, context: e.context())
        let lines = try task.validate(e)
        #expect(lines.contains { $0.contains("rotation false") }, "arbitrary rotation is off by default for detection: \(lines)")
        let summary = try task.run(e)
        let folder = dir.file("run")
        let csv = try String(contentsOfFile: "\(folder)/metrics.csv", encoding: .utf8).split(separator: "\n")
        let header = csv[0].split(separator: ",").map(String.init)
        for part in ["train_rpn_objectness", "train_rpn_box_regression", "train_classification", "train_box_regression", "val_ap50"] {
            #expect(header.contains(part), "\(part) is logged: \(header)")
        }
        let column = { (row: Int, name: String) in Double(csv[row].split(separator: ",", omittingEmptySubsequences: false)[header.firstIndex(of: name)!])! }
        #expect(column(csv.count - 1, "train_loss") < column(1, "train_loss"), "the loss falls")
        let ap = try #require(summary.metrics["test_ap50"])
        let detections = try CSVTable.read(path: "\(folder)/detections.csv")
        #expect(detections.header == ["id_str", "label", "score", "x_min", "y_min", "x_max", "y_max"])
        // The baseline on the test galaxies' own truth.
        let coco = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/ground_truth_coco.json"))) as! [String: Any]
        let annotations = coco["annotations"] as! [[String: Any]]
        let images = (coco["images"] as! [[String: Any]]).count
        var truth = [[BoundingBox]](repeating: [], count: images)
        for a in annotations {
            let b = (a["bbox"] as! [Double]).map(Float.init)
            truth[a["image_id"] as! Int].append(BoundingBox(x1: b[0], y1: b[1], x2: b[0] + b[2], y2: b[1] + b[3]))
        }
        let baseline = try Self.randomBaseline(truth: truth, size: 48)
        #expect(ap > baseline + 0.1, "test AP50 \(ap) vs random boxes \(baseline)")
        for f in ["report.html", "plots/loss.png", "plots/overlays.png", "plots/precision_recall.png", "plots/completeness_purity.png",
                  "plots/clump_counts.png", "detections_coco.json", "checkpoints/best.safetensors", "ap_by_size.csv"] {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(f)"), "\(f)")
        }
        let bySize = try CSVTable.read(path: "\(folder)/ap_by_size.csv")
        let boxesPerSize = try #require(bySize.column("true_boxes")).map { Int($0)! }
        #expect(bySize.rows.count == 3 && boxesPerSize.allSatisfy { $0 > 0 })
        print("detection test: AP50 \(ap), baseline \(baseline), metrics \(summary.metrics)")

        // `zoorun predict` on the run: a catalog exported with its boxes.csv, as `simulate --catalog` writes.
        var sim = SimulatorOptions()
        sim.imageSize = 48
        sim.morphologies.elliptical = 0; sim.morphologies.edgeOn = 0; sim.morphologies.artifact = 0
        sim.features.clumps = 1; sim.features.stars = 0; sim.features.merger = 0
        try SimulatedGalaxies(seed: 99, count: 24, options: sim).writeCatalog(to: dir.file("sims"), format: .png)
        let predictLines = try DetectionPredictor.predict(PredictionRequest(run: RunFolder(path: folder, registry: e.registry),
                                                                     catalog: dir.file("sims/catalog.csv"), out: dir.file("predicted")))
        let predicted = try CSVTable.read(path: dir.file("predicted/detections.csv"))
        #expect(Set(predicted.column("id_str")!).count > 12, "detections in most of the 24 galaxies: \(predictLines)")
        let scored = try #require(predictLines.first { $0.contains("ap50:") }, "scored against boxes.csv: \(predictLines)")
        let predictedAP = try #require(Double(scored.split(separator: " ").last!))
        #expect(predictedAP > baseline + 0.1, "predict AP50 \(predictedAP): \(predictLines)")
    }
}
