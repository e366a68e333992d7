import DetectionPlugin
import Framework
import Foundation
import Testing

@Suite("Box coder: torchvision's encode/decode")
struct BoxCoderTests {
    @Test(arguments: [BoxCoder.rpn, BoxCoder.roiHead])
    func decodeInvertsEncode(coder: BoxCoder) {
        let references: [Float] = [0, 0, 4, 4, 10, 12, 13, 20, 5.5, 2.25, 30, 9]
        let targets: [Float] = [1, -1, 6, 3, 9, 12, 14, 18, 6, 2, 29, 11]
        let deltas = coder.encode(targets, relativeTo: references)
        let back = coder.decode(deltas, boxes: references)
        for (a, b) in zip(back, targets) { #expect(abs(a - b) < 1e-4, "\(back) vs \(targets)") }
    }

    @Test func weightsScaleTheDeltas() {
        let r: [Float] = [0, 0, 4, 4], t: [Float] = [1, 2, 7, 10]
        let unit = BoxCoder.rpn.encode(t, relativeTo: r), weighted = BoxCoder.roiHead.encode(t, relativeTo: r)
        for (k, w) in [Float(10), 10, 5, 5].enumerated() { #expect(abs(weighted[k] - w * unit[k]) < 1e-5) }
        // dx: centre 4 vs 2 over width 4; dw: log(6/4).
        #expect(abs(unit[0] - 0.5) < 1e-6 && abs(unit[2] - log(1.5)) < 1e-6)
    }

    @Test func hugeSizeDeltasAreClamped() {
        let box = BoxCoder.rpn.decode([0, 0, 50, 50], boxes: [0, 0, 16, 16])
        // exp(log(1000/16)) × 16 = 1000 wide, centred on 8.
        #expect(abs(box[2] - box[0] - 1000) < 0.1 && abs(box[3] - box[1] - 1000) < 0.1)
    }
}
