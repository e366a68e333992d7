import DetectionPlugin
import Framework
import Foundation
import Testing

/// The default anchors against the simulator's clump boxes: how docs/detection.md chose them.
@Suite("Default anchors suit simulated clumps")
struct AnchorDefaultsTests {
    /// Clump boxes of 150 simulated 64 px galaxies, all with clumps possible.
    static func clumpBoxes() throws -> [[BoundingBox]] {
        var options = SimulatorOptions()
        options.features.clumps = 1
        let data = try SimulatedGalaxies(seed: 11, count: 150, options: options)
        return try (0..<data.count).map { try data.example(at: $0).boxes }
    }

    @Test func everyClumpHasAnAnchorOfIoUAbove0point5() throws {
        let boxes = try Self.clumpBoxes().joined().map { $0 }
        try #require(boxes.count > 100)
        let sides = boxes.map { Double($0.width) }.sorted()
        print("clump box sides: min \(sides.first!), median \(sides[sides.count / 2]), 90% \(sides[sides.count * 9 / 10]), max \(sides.last!) over \(sides.count) boxes")
        let o = DetectionComponent.Options()
        // The network sees the image upsampled; anchors and boxes scale together.
        let f = Float(o.upsample)
        let generator = try AnchorGenerator(sizes: o.anchorSizes.map { $0.map { $0 * f } }, aspectRatios: o.aspectRatios)
        let size = 64 * o.upsample
        let anchors = try generator.anchors(imageSize: (size, size), featureSizes: [(size / o.featureStrides[0], size / o.featureStrides[0])])
        let anchorBoxes = stride(from: 0, to: anchors.count, by: 4).map {
            BoundingBox(x1: anchors[$0], y1: anchors[$0 + 1], x2: anchors[$0 + 2], y2: anchors[$0 + 3])
        }
        let scaled = boxes.map { BoundingBox(x1: $0.x1 * f, y1: $0.y1 * f, x2: $0.x2 * f, y2: $0.y2 * f) }
        let best = BoxOps.iou(scaled, anchorBoxes).map { $0.max()! }.sorted()
        print("best anchor IoU: min \(best.first!), 10% \(best[best.count / 10]), median \(best[best.count / 2])")
        // The earlier default, sizes [3, 6], left clumps at IoU 0.36.
        #expect(best.first! >= 0.5, "every clump has an anchor of IoU ≥ 0.5")
        #expect(best[best.count / 2] >= 0.7, "half the clumps are positives at the RPN's 0.7 without low-quality matches")
    }
}
