import Foundation
import Framework
import TestSupport
import Testing
@testable import DetectionPlugin

/// Finite-difference checks of the detector's losses with respect to the head outputs: the
/// per-class gather of the box head, the RPN's sampled gathers and the RPN head's
/// location-major flattening, each against a Float64 reference.
@Suite("Detection loss gradients")
struct DetectionLossGradTests {
    static func smoothL1(_ d: Double) -> Double { abs(d) < 1.0 / 9 ? 0.5 * d * d * 9 : abs(d) - 0.5 / 9 }

    @Test func boxHeadLossesAgainstFiniteDifferences() throws {
        let labels = [0, 2, 1, 0, 2, 0]
        var trng = RandomGenerator(seed: 5)
        let targets = (0..<(labels.count * 4)).map { _ in Float(trng.normal()) * 0.3 }
        var rng = RandomGenerator(seed: 1)
        let heads = RoIHeads(channels: 1, pooler: RoIPooler(strides: [4]), representation: 4, classes: 2, settings: .init(), rng: &rng)
        let k = labels.count
        try checkGradients("roi box + classification losses", inputs: [GradInput([k, 3]), GradInput([k, 12])],
                           op: { x in
                               let l = try heads.losses(logits: x[0], deltas: x[1], labels: labels, regression: targets)
                               return try (l.classification + l.boxRegression).reshaped([1])
                           }, reference: { r in
                               var total = 0.0
                               for i in 0..<k {
                                   let z = (0..<3).map { r[0][[i, $0]] }
                                   let m = z.max()!
                                   total += -(z[labels[i]] - m - log(z.map { exp($0 - m) }.reduce(0, +))) / Double(k)
                                   guard labels[i] > 0 else { continue }
                                   for j in 0..<4 { total += Self.smoothL1(r[1][[i, labels[i] * 4 + j]] - Double(targets[i * 4 + j])) / Double(k) }
                               }
                               return Ref(shape: [1], data: [total])
                           })
    }

    @Test func rpnLossesAgainstFiniteDifferences() throws {
        // One 8×8 image, a 2×2 map at stride 4, one anchor size and ratio: 4 anchors.
        var rng = RandomGenerator(seed: 2)
        var settings = RegionProposalNetwork.Settings()
        settings.batchSizePerImage = 1000
        let net = try RegionProposalNetwork(channels: 2, anchors: AnchorGenerator(sizes: [[4]], aspectRatios: [1]), settings: settings, rng: &rng)
        let anchors = try net.anchorGenerator.anchors(imageSize: (8, 8), featureSizes: [(2, 2)])
        let truth = [[BoundingBox(x1: 3.5, y1: 0, x2: 7, y2: 3.5)]]
        let matches = Matcher(highThreshold: 0.7, lowThreshold: 0.3, allowLowQualityMatches: true)(BoxOps.iou(truth[0], TorchvisionFixtureTests.boxes(anchors)), predictions: 4)
        let targets = BoxCoder.rpn.encode(anchors.indices.map { i in DetectionGeometry.corners(truth[0][0])[i % 4] }, relativeTo: anchors)
        try checkGradients("rpn losses", inputs: [GradInput([1, 4]), GradInput([1, 4, 4])],
                           op: { x in
                               var r = RandomGenerator(seed: 0)
                               let (o, b) = try net.losses(objectness: x[0], deltas: x[1], anchors: anchors, targets: truth, rng: &r)
                               return try (o + b).reshaped([1])
                           }, reference: { r in
                               let sampled = matches.indices.filter { matches[$0] != Matcher.ignored }
                               var total = 0.0
                               for a in sampled {
                                   let z = r[0][[0, a]], y = matches[a] >= 0 ? 1.0 : 0.0
                                   total += (max(z, 0) - z * y + log(1 + exp(-abs(z)))) / Double(sampled.count)
                                   guard matches[a] >= 0 else { continue }
                                   for j in 0..<4 { total += Self.smoothL1(r[1][[0, a, j]] - Double(targets[a * 4 + j])) / Double(sampled.count) }
                               }
                               return Ref(shape: [1], data: [total])
                           })
    }

    @Test func rpnHeadFlattensLocationMajorThenAnchor() throws {
        // The flattening is a permutation: objectness element (y, x, a) is channel a of the
        // logits map at (y, x), and its gradient goes back there.
        var rng = RandomGenerator(seed: 3)
        let head = try RPNHead(channels: 2, anchorsPerLocation: 3, rng: &rng)
        let x = try Tensor.randn([1, 2, 2, 3], using: &rng)
        let (objectness, deltas) = try head([x])
        let logits = try head.clsLogits(head.conv(x).relu()), boxes = try head.bboxPred(head.conv(x).relu())
        for y in 0..<2 { for xx in 0..<3 { for a in 0..<3 {
            let flat = (y * 3 + xx) * 3 + a
            #expect(objectness.storage[flat] == logits.storage[(a * 2 + y) * 3 + xx])
            for j in 0..<4 { #expect(deltas.storage[flat * 4 + j] == boxes.storage[((a * 4 + j) * 2 + y) * 3 + xx]) }
        } } }
    }
}
