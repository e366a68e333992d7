import Foundation
import Framework

/// Encodes boxes as deltas (dx, dy, dw, dh) relative to reference boxes and decodes them
/// back, as torchvision's `BoxCoder`: centre offsets in units of the reference's size, log
/// size ratios, each multiplied by its weight when encoding and divided when decoding.
///
/// The region proposal network uses weights (1, 1, 1, 1), the box head (10, 10, 5, 5). Decoded
/// dw and dh are clamped from above at log(1000 / 16) so that an untrained head cannot
/// overflow `exp`. Boxes are flat (x1, y1, x2, y2) arrays.
public struct BoxCoder: Equatable, Sendable {
    public var weights: [Float]
    public var clip: Float

    public static let rpn = BoxCoder(weights: [1, 1, 1, 1])
    public static let roiHead = BoxCoder(weights: [10, 10, 5, 5])
    /// torchvision's `bbox_xform_clip`.
    public static let defaultClip = Float(log(1000.0 / 16.0))

    public init(weights: [Float], clip: Float = BoxCoder.defaultClip) {
        precondition(weights.count == 4, "BoxCoder: four weights (wx, wy, ww, wh)")
        self.weights = weights
        self.clip = clip
    }

    /// Deltas that move each of `references` onto the box at the same position of `targets`.
    public func encode(_ targets: [Float], relativeTo references: [Float]) -> [Float] {
        precondition(targets.count == references.count && targets.count % 4 == 0, "BoxCoder.encode: matching [K, 4] boxes")
        var out = [Float](repeating: 0, count: targets.count)
        let (wx, wy, ww, wh) = (weights[0], weights[1], weights[2], weights[3])
        for o in stride(from: 0, to: targets.count, by: 4) {
            let rw = references[o + 2] - references[o], rh = references[o + 3] - references[o + 1]
            let rx = references[o] + 0.5 * rw, ry = references[o + 1] + 0.5 * rh
            let tw = targets[o + 2] - targets[o], th = targets[o + 3] - targets[o + 1]
            let tx = targets[o] + 0.5 * tw, ty = targets[o + 1] + 0.5 * th
            out[o] = wx * (tx - rx) / rw
            out[o + 1] = wy * (ty - ry) / rh
            out[o + 2] = ww * Foundation.log(tw / rw)
            out[o + 3] = wh * Foundation.log(th / rh)
        }
        return out
    }

    /// Boxes from `deltas`: `perBox` groups of four deltas (one per class) for each of `boxes`,
    /// each decoded against its box. The result has the layout of `deltas`.
    public func decode(_ deltas: [Float], boxes: [Float], perBox: Int = 1) -> [Float] {
        precondition(deltas.count == boxes.count * perBox, "BoxCoder.decode: \(deltas.count) deltas for \(boxes.count / 4) boxes × \(perBox)")
        var out = [Float](repeating: 0, count: deltas.count)
        let (wx, wy, ww, wh) = (weights[0], weights[1], weights[2], weights[3])
        for b in 0..<(boxes.count / 4) {
            let o = b * 4
            let w = boxes[o + 2] - boxes[o], h = boxes[o + 3] - boxes[o + 1]
            let cx = boxes[o] + 0.5 * w, cy = boxes[o + 1] + 0.5 * h
            for k in 0..<perBox {
                let d = (b * perBox + k) * 4
                let dx = deltas[d] / wx, dy = deltas[d + 1] / wy
                let dw = min(deltas[d + 2] / ww, clip), dh = min(deltas[d + 3] / wh, clip)
                let px = dx * w + cx, py = dy * h + cy
                let pw = Foundation.exp(dw) * w, ph = Foundation.exp(dh) * h
                let hw = 0.5 * pw, hh = 0.5 * ph
                out[d] = px - hw
                out[d + 1] = py - hh
                out[d + 2] = px + hw
                out[d + 3] = py + hh
            }
        }
        return out
    }
}
