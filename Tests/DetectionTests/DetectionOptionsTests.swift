import DetectionPlugin
import Framework
import Foundation
import TestSupport
import Testing

/// Bad detection options fail at load with an error naming the key.
@Suite("Detection options are checked")
struct DetectionOptionsTests {
    static func load(_ task: String) throws -> Experiment {
        let r = Registry.simulatedForTests()
        r.register(task: DetectionComponent.self, plugin: "Detection")
        let dir = try TemporaryFolder("zoorun-detection-options")
        let path = try dir.write("bad.yaml", text: """
        name: bad
        task: {kind: detection, \(task)}
        data: {kind: simulated-galaxies, count: 12, simulator: {image_size: 32}}
        backbone: {kind: compact}
        """)
        let e = try Experiment.load(path: path, registry: r, runFolder: dir.file("run"))
        let t: any ExperimentTask = try r.make(.task, from: e.config.task, context: e.context())
        _ = try t.validate(e)
        return e
    }

    @Test(arguments: [
        ("anchor_sizes: [[4], [8]]", "anchor_sizes has 2 level(s) but feature_strides has 1"),
        ("feature_strides: [4, 8]", "set fpn: true"),
        ("aspect_ratios: [0]", "aspect_ratios (height / width) must be positive"),
        ("feature_strides: [2]", "has no stride-2 feature map"),
        ("upsample: 0", "upsample must be in 1…8"),
        ("rpn_pre_nms_top_n: [100]", "rpn_pre_nms_top_n must be [train, test]"),
        ("score_threshold: 1.5", "score_threshold must be in [0, 1]"),
        ("anchor_size: [[4]]", "anchor_size"),
    ])
    func badOptionsNameTheKey(option: String, message: String) {
        do {
            _ = try Self.load(option)
            Issue.record("\(option) was accepted")
        } catch {
            #expect("\(error)".contains(message), "\(option): \(error)")
        }
    }

    @Test func fpnOverSeveralStridesBuilds() throws {
        let e = try Self.load("fpn: true, feature_strides: [4, 8], anchor_sizes: [[5], [10]]")
        #expect(e.config.name == "bad")
    }
}
