import Foundation
import Framework
import Testing
@testable import DetectionPlugin

/// torchvision's outputs for fixed inputs (scripts/detection_fixtures.py wrote them; CI needs
/// no PyTorch), matched by the plugin's pieces.
@Suite("Detection matches torchvision")
struct TorchvisionFixtureTests {
    static let fixture: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/torchvision.json")
        let data = try! Data(contentsOf: url)
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    static func section(_ key: String) -> [String: Any] { fixture[key] as! [String: Any] }
    static func floats(_ v: Any?) -> [Float] { (v as! [NSNumber]).map(\.floatValue) }
    static func ints(_ v: Any?) -> [Int] { (v as! [NSNumber]).map(\.intValue) }

    static func expectClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-4, _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.count == b.count, "\(what): \(a.count) values vs torchvision's \(b.count)", sourceLocation: sourceLocation)
        let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(worst <= tolerance, "\(what): largest relative difference \(worst)", sourceLocation: sourceLocation)
    }

    @Test func anchorsMatchInValueAndOrder() throws {
        let s = Self.section("anchors")
        let sizes = (s["sizes"] as! [[NSNumber]]).map { $0.map(\.floatValue) }
        let generator = try AnchorGenerator(sizes: sizes, aspectRatios: Self.floats(s["ratios"]))
        let image = Self.ints(s["image"]), f = (s["features"] as! [[NSNumber]]).map { $0.map(\.intValue) }
        let anchors = try generator.anchors(imageSize: (image[0], image[1]), featureSizes: f.map { ($0[0], $0[1]) })
        // Exact: base anchors are rounded half to even (size 5, ratio 1 → ±2, not ±3).
        #expect(anchors == Self.floats(s["anchors"]))
    }

    @Test(arguments: ["rpn", "roi"])
    func boxCoderEncodesAndDecodes(name: String) {
        let s = Self.section("coder_\(name)")
        let coder = BoxCoder(weights: Self.floats(s["weights"]))
        let refs = Self.floats(s["references"])
        Self.expectClose(coder.encode(Self.floats(s["targets"]), relativeTo: refs), Self.floats(s["encoded"]), "encode \(name)")
        // Two classes of deltas per box, some past the clamp at log(1000/16).
        Self.expectClose(coder.decode(Self.floats(s["deltas"]), boxes: refs, perBox: 2), Self.floats(s["decoded"]), "decode \(name)")
    }

    static func boxes(_ flat: [Float]) -> [BoundingBox] {
        stride(from: 0, to: flat.count, by: 4).map { BoundingBox(x1: flat[$0], y1: flat[$0 + 1], x2: flat[$0 + 2], y2: flat[$0 + 3]) }
    }

    @Test func matchersAgreeIncludingLowQualityMatches() {
        let s = Self.section("matcher")
        let truth = Self.boxes(Self.floats(s["truth"])), boxes = Self.boxes(Self.floats(s["boxes"]))
        let q = BoxOps.iou(truth, boxes)
        #expect(Matcher(highThreshold: 0.7, lowThreshold: 0.3, allowLowQualityMatches: true)(q, predictions: boxes.count) == Self.ints(s["rpn"]))
        #expect(Matcher(highThreshold: 0.5, lowThreshold: 0.5, allowLowQualityMatches: false)(q, predictions: boxes.count) == Self.ints(s["roi"]))
        let lowTruth = Self.boxes(Self.floats(s["low_truth"])), lowBoxes = Self.boxes(Self.floats(s["low_boxes"]))
        let lq = BoxOps.iou(lowTruth, lowBoxes)
        let with = Matcher(highThreshold: 0.7, lowThreshold: 0.3, allowLowQualityMatches: true)(lq, predictions: lowBoxes.count)
        let without = Matcher(highThreshold: 0.7, lowThreshold: 0.3, allowLowQualityMatches: false)(lq, predictions: lowBoxes.count)
        #expect(with == Self.ints(s["low_quality"]))
        #expect(without == Self.ints(s["without_low_quality"]))
        // The small clump (truth 0) has no positive without low-quality matches, and the three
        // boxes tying for its best IoU with them.
        #expect(!without.contains(0) && with.filter { $0 == 0 }.count == 3)
    }

    @Test func nmsKeepListsAgree() throws {
        let s = Self.section("nms")
        let boxes = Self.boxes(Self.floats(s["boxes"])), scores = Self.floats(s["scores"])
        #expect(try BoxOps.nonMaxSuppression(boxes: boxes, scores: scores, iouThreshold: 0.5) == Self.ints(s["keep_0.5"]))
        #expect(try BoxOps.nonMaxSuppression(boxes: boxes, scores: scores, iouThreshold: 0.3) == Self.ints(s["keep_0.3"]))
        #expect(try BoxOps.batchedNonMaxSuppression(boxes: boxes, scores: scores, classes: Self.ints(s["classes"]), iouThreshold: 0.5)
                == Self.ints(s["batched_0.5"]))
    }

    @Test func roiAlignAndTheMultiScalePoolerAgree() throws {
        let s = Self.section("roi_align")
        let features = try Tensor(shape: Self.ints(s["shape"]), storage: Self.floats(s["features"]))
        let rows = Self.floats(s["boxes"])
        let pooled = try features.roiAlign(boxes: Tensor(shape: [rows.count / 5, 5], storage: rows), outputSize: (7, 7),
                                           spatialScale: 0.25, samplingRatio: 2, aligned: false)
        Self.expectClose(pooled.storage, Self.floats(s["pooled"]), "roi_align")
        let shapes = (s["ms_shapes"] as! [[NSNumber]]).map { $0.map(\.intValue) }
        let maps = try zip(shapes, s["ms_features"] as! [Any]).map { try Tensor(shape: $0, storage: Self.floats($1)) }
        let boxes = (s["ms_boxes"] as! [Any]).map(Self.floats)
        let pooler = RoIPooler(strides: Self.ints(s["ms_strides"]), outputSize: 7, samplingRatio: 2)
        // The two 100+ px boxes go to the stride-8 map, the rest to stride 4.
        #expect(boxes.map(pooler.levels) == [[1, 0], [1, 0, 0]])
        Self.expectClose(try pooler(maps, boxes: boxes).storage, Self.floats(s["ms_pooled"]), "MultiScaleRoIAlign")
    }

    static func heads(classes: Int) -> RoIHeads {
        var rng = RandomGenerator(seed: 1)
        return RoIHeads(channels: 1, pooler: RoIPooler(strides: [4]), representation: 4, classes: classes, settings: .init(), rng: &rng)
    }

    @Test func fastRCNNLossesAgree() throws {
        let s = Self.section("fastrcnn_loss")
        let labels = Self.ints(s["labels"])
        let logits = try Tensor(shape: [labels.count, 3], storage: Self.floats(s["logits"]))
        let deltas = try Tensor(shape: [labels.count, 12], storage: Self.floats(s["box_regression"]))
        let l = try Self.heads(classes: 2).losses(logits: logits, deltas: deltas, labels: labels, regression: Self.floats(s["targets"]))
        Self.expectClose([try l.classification.item()], [(s["classification"] as! NSNumber).floatValue], "classification")
        Self.expectClose([try l.boxRegression.item()], [(s["box_regression_loss"] as! NSNumber).floatValue], "box_regression")
    }

    static func rpn(_ s: [String: Any], preTest: Int = 1000, postTest: Int = 1000) throws -> RegionProposalNetwork {
        var settings = RegionProposalNetwork.Settings()
        settings.batchSizePerImage = 100_000   // every anchor sampled: deterministic
        settings.preNMSTopNTest = preTest
        settings.postNMSTopNTest = postTest
        let sizes = (s["sizes"] as! [[NSNumber]]).map { $0.map(\.floatValue) }
        var rng = RandomGenerator(seed: 2)
        return try RegionProposalNetwork(channels: 4, anchors: AnchorGenerator(sizes: sizes, aspectRatios: Self.floats(s["ratios"])),
                                         settings: settings, rng: &rng)
    }

    @Test func rpnLabelsAndLossesAgree() throws {
        let s = Self.section("rpn")
        let net = try Self.rpn(s)
        let f = Self.ints(s["features"]), image = Self.ints(s["image"])
        let anchors = try net.anchorGenerator.anchors(imageSize: (image[0], image[1]), featureSizes: [(f[0], f[1])])
        let truth = (s["truth"] as! [Any]).map { Self.boxes(Self.floats($0)) }
        let matcher = Matcher(highThreshold: 0.7, lowThreshold: 0.3, allowLowQualityMatches: true)
        for (i, gt) in truth.enumerated() {
            let m = matcher(BoxOps.iou(gt, Self.boxes(anchors)), predictions: anchors.count / 4)
            #expect(m.map { $0 >= 0 ? 1 : ($0 == -1 ? 0 : -1) } == Self.ints((s["labels"] as! [Any])[i]), "anchor labels of image \(i)")
        }
        let total = anchors.count / 4
        let objectness = try Tensor(shape: [2, total], storage: Self.floats(s["objectness"]))
        let deltas = try Tensor(shape: [2, total, 4], storage: Self.floats(s["deltas"]))
        var rng = RandomGenerator(seed: 3)
        let (obj, box) = try net.losses(objectness: objectness, deltas: deltas, anchors: anchors, targets: truth, rng: &rng)
        Self.expectClose([try obj.item()], [(s["objectness_loss"] as! NSNumber).floatValue], "rpn objectness loss")
        Self.expectClose([try box.item()], [(s["box_loss"] as! NSNumber).floatValue], "rpn box loss")
    }

    @Test func rpnProposalsAgree() throws {
        let s = Self.section("rpn")
        let net = try Self.rpn(s, preTest: Self.ints([s["pre_nms_top_n"]!])[0], postTest: Self.ints([s["post_nms_top_n"]!])[0])
        net.eval()
        let f = Self.ints(s["features"]), image = Self.ints(s["image"])
        let anchors = try net.anchorGenerator.anchors(imageSize: (image[0], image[1]), featureSizes: [(f[0], f[1])])
        let total = anchors.count / 4
        let logits = Self.floats(s["objectness"]), deltas = Self.floats(s["deltas"])
        for i in 0..<2 {
            let (boxes, scores) = try net.filter(logits: Array(logits[(i * total)..<((i + 1) * total)]),
                                                 deltas: Array(deltas[(i * total * 4)..<((i + 1) * total * 4)]),
                                                 anchors: anchors, perLevel: [total], imageSize: (image[0], image[1]))
            Self.expectClose(boxes, Self.floats((s["proposals"] as! [Any])[i]), "proposals of image \(i)")
            Self.expectClose(scores, Self.floats((s["scores"] as! [Any])[i]), "proposal scores of image \(i)")
        }
    }

    @Test func boxHeadPostprocessingAgrees() throws {
        let s = Self.section("postprocess")
        let heads = Self.heads(classes: 2)
        let proposals = Self.floats(s["proposals"])
        let k = proposals.count / 4
        var settings = heads.settings
        settings.detectionsPerImage = Self.ints([s["detections_per_image"]!])[0]
        var rng = RandomGenerator(seed: 1)
        let limited = RoIHeads(channels: 1, pooler: RoIPooler(strides: [4]), representation: 4, classes: 2, settings: settings, rng: &rng)
        let found = try limited.detections(logits: Tensor(shape: [k, 3], storage: Self.floats(s["logits"])),
                                           deltas: Tensor(shape: [k, 12], storage: Self.floats(s["deltas"])),
                                           proposals: [proposals], imageSize: (32, 32))[0]
        Self.expectClose(found.flatMap { [$0.box.x1, $0.box.y1, $0.box.x2, $0.box.y2] }, Self.floats(s["boxes"]), "detection boxes")
        Self.expectClose(found.map(\.score), Self.floats(s["scores"]), "detection scores")
        #expect(found.map(\.box.label) == Self.ints(s["labels"]))
    }
}
