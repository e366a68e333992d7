import TestSupport
import Foundation
import Testing
@testable import Framework
@testable import SegmentationPlugin

@Suite("Test-time augmentation of masks")
struct TestTimeMaskTests {
    /// An asymmetric blob (an L) on a 6×6 image: wrong alignment of any transform shows.
    static func image() throws -> Tensor {
        var px = [Float](repeating: 0, count: 36)
        for (y, x) in [(1, 1), (2, 1), (3, 1), (4, 1), (4, 2), (4, 3), (0, 5)] { px[y * 6 + x] = 1 }
        return try Tensor(shape: [1, 1, 6, 6], storage: px)
    }

    @Test("predictions come back to the image frame before averaging", arguments: [TestTimeAugmentation.Group.c4, .d4])
    func inverseTransformed(group: TestTimeAugmentation.Group) throws {
        let model = SegmentationModel(network: PixelNetwork(classes: 1, scale: 20), classes: ["bar"], weights: [1], loss: .bce, inputNorm: nil)
        let x = try Self.image()
        let tta = try TestTimeAugmentation(group: group)
        // The pixel network is equivariant, so the average of correctly inverted predictions
        // is the plain prediction; averaging unaligned ones would smear the L.
        let plain = try model.probabilities(x)
        let averaged = try model.probabilities(x, tta: tta)
        for (a, b) in zip(plain.storage, averaged.storage) { #expect(Swift.abs(a - b) < 1e-6) }
        // A rotated galaxy gets the rotated mask.
        let turn = DihedralTransform(quarterTurns: 1)
        let ofRotated = try model.probabilities(turn.apply(to: x), tta: tta)
        #expect(ofRotated.storage == (try turn.apply(to: averaged)).storage)
    }

    @Test func notInvertingWouldBeWrong() throws {
        // The check above is not vacuous: the forward transforms alone, averaged, differ.
        let x = try Self.image()
        let model = SegmentationModel(network: PixelNetwork(classes: 1, scale: 20), classes: ["bar"], weights: [1], loss: .bce, inputNorm: nil)
        var sum = [Float](repeating: 0, count: 36)
        for t in DihedralTransform.c4 {
            for (i, v) in try model.probabilities(t.apply(to: x)).storage.enumerated() { sum[i] += v / 4 }
        }
        let plain = try model.probabilities(x).storage
        #expect(zip(plain, sum).contains { Swift.abs($0 - $1) > 0.2 })
    }
}
