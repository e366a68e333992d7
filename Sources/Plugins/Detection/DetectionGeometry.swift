import Foundation
import Framework

/// Small helpers on flat (x1, y1, x2, y2) box arrays that the proposal network and the box
/// head share.
enum DetectionGeometry {
    /// A [K, 4] tensor of flat boxes (off the tape).
    static func tensor(_ flat: [Float]) throws -> Tensor { try Tensor(shape: [flat.count / 4, 4], storage: flat) }

    static func tensor(_ boxes: [BoundingBox]) throws -> Tensor { try tensor(boxes.flatMap(corners)) }

    static func corners(_ b: BoundingBox) -> [Float] { [b.x1, b.y1, b.x2, b.y2] }

    /// The boxes at `indices`, in that order.
    static func select(_ flat: [Float], _ indices: [Int]) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(indices.count * 4)
        for i in indices { out += flat[(i * 4)..<(i * 4 + 4)] }
        return out
    }

    /// Clamps x to [0, width] and y to [0, height] (torchvision's `clip_boxes_to_image`).
    static func clip(_ flat: inout [Float], height: Int, width: Int) {
        let w = Float(width), h = Float(height)
        for o in stride(from: 0, to: flat.count, by: 4) {
            flat[o] = min(max(flat[o], 0), w); flat[o + 2] = min(max(flat[o + 2], 0), w)
            flat[o + 1] = min(max(flat[o + 1], 0), h); flat[o + 3] = min(max(flat[o + 3], 0), h)
        }
    }

    /// Indices of the `k` largest values in `range`, by descending value (ties by index).
    static func topIndices(_ values: [Float], range: Range<Int>, k: Int) -> [Int] {
        let sorted = range.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
        return Array(sorted.prefix(max(0, k)))
    }

    /// Σ smoothL1(prediction rows − targets, β = 1/9) / `divisor`: the box loss of both stages
    /// (summed over positives, divided by everything sampled). 0 when there are no rows.
    static func smoothL1Sum(_ predictions: Tensor, rows: [Int], targets: [Float], dividedBy divisor: Int) throws -> Tensor {
        guard !rows.isEmpty else { return Tensor.scalar(0) }
        let t = try Tensor(shape: [rows.count, 4], storage: targets)
        return try Loss.smoothL1(predictions.gather(axis: 0, indices: rows), t, beta: 1.0 / 9).sum() * (1 / Float(max(1, divisor)))
    }
}
