import TestSupport
import Foundation
import Testing
@testable import Framework
@testable import SegmentationPlugin

@Suite("Predicting a catalog with a segmentation run", .serialized)
struct SegmentationPredictorTests {
    static let yaml = """
    name: seg-predict
    seed: 2
    task: {kind: segmentation, masks: [bar, spiral], gallery: 0, save_masks: false}
    data:
      kind: simulated-galaxies
      count: 24
      simulator: {image_size: 32}
    decoder: {kind: residual-unet, base_filters: 4}
    training: {epochs: 1, batch_size: 8, warmup_epochs: 0, patience: 0, workers: 1}
    """

    let dir: TemporaryFolder
    init() throws { dir = try TemporaryFolder("zoorun-seg-predict") }

    static func registry() -> Registry {
        let r = Registry.simulatedForTests()
        r.register(task: SegmentationComponent.self, plugin: "Segmentation")
        r.register(decoder: UNetDecoderComponent.self, plugin: "Segmentation")
        r.register(decoder: ResidualUNetComponent.self, plugin: "Segmentation")
        r.register(section: "decoder", category: .decoder)
        return r
    }

    /// Six simulated galaxies as a PNG catalog; the first four have a bar mask column cell.
    func catalog(withMasks: Bool) throws -> String {
        let sims = try SimulatedGalaxies(seed: 9, count: 6, options: { var o = SimulatorOptions(); o.imageSize = 32; return o }())
        var rows: [String] = []
        for i in 0..<6 {
            let e = try sims.example(at: i)
            _ = try dir.write("cat/images/\(e.id).png", try PNGCodec.encode(e.image))
            var cell = ""
            if i < 4, let bar = e.masks["bar"] {
                _ = try dir.write("cat/masks/\(e.id)_bar.png", try PNGCodec.encode(bar))
                cell = "masks/\(e.id)_bar.png"
            }
            rows.append(withMasks ? "\(e.id),images/\(e.id).png,\(cell)" : "\(e.id),images/\(e.id).png")
        }
        let header = withMasks ? "id_str,file_loc,bar_mask_loc" : "id_str,file_loc"
        return try dir.write(withMasks ? "cat/catalog.csv" : "cat/plain.csv", text: ([header] + rows).joined(separator: "\n") + "\n")
    }

    @Test func masksAlwaysAndScoresWhereTheCatalogHasMasks() throws {
        let r = Self.registry()
        let e = try Experiment.load(path: try dir.write("p.yaml", text: Self.yaml), registry: r, runFolder: dir.file("run"))
        try e.saveResolvedConfig()
        let task: any ExperimentTask = try r.make(.task, from: e.config.task, context: e.context())
        _ = try task.run(e)

        r.register(predictor: SegmentationPredictor.self, plugin: "Segmentation")
        let run = try RunFolder(path: dir.file("run"), registry: r)
        let predictor = try r.predictor(for: run)
        let lines = try predictor.predict(PredictionRequest(run: run, catalog: try catalog(withMasks: true), out: dir.file("out"), tta: .c4))
        #expect(lines.count == 2 && lines[1].contains("scored against bar"), "\(lines)")
        let masks = try FileManager.default.contentsOfDirectory(atPath: dir.file("out/masks"))
        #expect(masks.count == 12, "6 galaxies × 2 masks: \(masks.sorted())")
        let table = try CSVTable.read(path: dir.file("out/mask_metrics.csv"))
        let bars = table.rows.filter { $0[1] == "bar" }
        #expect(bars.map { $0[2] } == ["1", "1", "1", "1", "0", "0"], "galaxies without a mask cell are not scored")
        #expect(FileManager.default.fileExists(atPath: dir.file("out/metrics.json")))

        let plain = try predictor.predict(PredictionRequest(run: run, catalog: try catalog(withMasks: false), out: dir.file("out-plain")))
        #expect(plain.count == 2 && plain[1].contains("not scored"), "\(plain)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("out-plain/metrics.json")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("out-plain/masks")).count == 12)
    }
}
