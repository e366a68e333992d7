/// Box geometry for detection: pairwise IoU and non-maximum suppression (torchvision semantics).
///
/// Boxes are (x1, y1, x2, y2) corners, either `BoundingBox` values or rows of a `[K, 4]`
/// tensor. None of these functions record gradients.
public enum BoxOps {
    /// Pairwise intersection over union: `result[i][j]` is IoU(a[i], b[j]).
    ///
    /// Boxes with a non-positive width or height have area 0; when the union of two boxes is
    /// 0 their IoU is 0 (torchvision returns NaN there, which no caller wants).
    public static func iou(_ a: [BoundingBox], _ b: [BoundingBox]) -> [[Float]] {
        pairwiseIoU(corners(a), corners(b))
    }

    /// Pairwise IoU of the rows of two `[K, 4]` tensors.
    public static func iou(_ a: Tensor, _ b: Tensor) throws -> [[Float]] {
        pairwiseIoU(try corners(a, op: "iou"), try corners(b, op: "iou"))
    }

    /// Indices of the boxes kept by greedy non-maximum suppression, by descending score.
    ///
    /// A box is dropped when its IoU with a higher-scoring kept box is *greater* than
    /// `iouThreshold`. Equal scores keep their input order (a stable sort), so the result does
    /// not depend on the sort implementation.
    public static func nonMaxSuppression(boxes: [BoundingBox], scores: [Float], iouThreshold: Float) throws -> [Int] {
        try suppress(corners(boxes), scores: scores, classes: nil, iouThreshold: iouThreshold,
                     op: "nonMaxSuppression")
    }

    /// Non-maximum suppression of the rows of a `[K, 4]` tensor.
    public static func nonMaxSuppression(boxes: Tensor, scores: [Float], iouThreshold: Float) throws -> [Int] {
        try suppress(corners(boxes, op: "nonMaxSuppression"), scores: scores, classes: nil,
                     iouThreshold: iouThreshold, op: "nonMaxSuppression")
    }

    /// Non-maximum suppression within each class: boxes of different classes never suppress
    /// each other. Kept indices come sorted by descending score across all classes.
    public static func batchedNonMaxSuppression(boxes: [BoundingBox], scores: [Float], classes: [Int],
                                                iouThreshold: Float) throws -> [Int] {
        try suppress(corners(boxes), scores: scores, classes: classes, iouThreshold: iouThreshold,
                     op: "batchedNonMaxSuppression")
    }

    /// Per-class non-maximum suppression of the rows of a `[K, 4]` tensor.
    public static func batchedNonMaxSuppression(boxes: Tensor, scores: [Float], classes: [Int],
                                                iouThreshold: Float) throws -> [Int] {
        try suppress(corners(boxes, op: "batchedNonMaxSuppression"), scores: scores, classes: classes,
                     iouThreshold: iouThreshold, op: "batchedNonMaxSuppression")
    }

    // MARK: - Kernels on flat corner arrays (4 floats per box)

    private static func corners(_ boxes: [BoundingBox]) -> [Float] {
        var c = [Float]()
        c.reserveCapacity(boxes.count * 4)
        for b in boxes { c += [b.x1, b.y1, b.x2, b.y2] }
        return c
    }

    private static func corners(_ t: Tensor, op: String) throws -> [Float] {
        guard t.rank == 2, t.shape[1] == 4 else {
            throw TensorError.invalidArgument(op: op, message: "boxes must be [K, 4] (x1, y1, x2, y2), got \(t.shape)")
        }
        return t.storage
    }

    @inline(__always)
    private static func area(_ c: UnsafeBufferPointer<Float>, _ i: Int) -> Float {
        let o = i &* 4
        return max(0, c[o &+ 2] - c[o]) * max(0, c[o &+ 3] - c[o &+ 1])
    }

    /// IoU of box i of `a` and box j of `b`, given their areas.
    @inline(__always)
    private static func iou(_ a: UnsafeBufferPointer<Float>, _ i: Int, _ areaA: Float,
                            _ b: UnsafeBufferPointer<Float>, _ j: Int, _ areaB: Float) -> Float {
        let p = i &* 4, q = j &* 4
        let w = max(0, min(a[p &+ 2], b[q &+ 2]) - max(a[p], b[q]))
        let h = max(0, min(a[p &+ 3], b[q &+ 3]) - max(a[p &+ 1], b[q &+ 1]))
        let inter = w * h
        let union = areaA + areaB - inter
        return union > 0 ? inter / union : 0
    }

    private static func pairwiseIoU(_ a: [Float], _ b: [Float]) -> [[Float]] {
        let n = a.count / 4, m = b.count / 4
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                let areasB = (0..<m).map { area(pb, $0) }
                return (0..<n).map { i in
                    let ai = area(pa, i)
                    return (0..<m).map { j in iou(pa, i, ai, pb, j, areasB[j]) }
                }
            }
        }
    }

    private static func suppress(_ boxes: [Float], scores: [Float], classes: [Int]?, iouThreshold: Float,
                                 op: String) throws -> [Int] {
        let n = boxes.count / 4
        guard scores.count == n else {
            throw TensorError.invalidArgument(op: op, message: "\(n) boxes but \(scores.count) scores")
        }
        if let classes, classes.count != n {
            throw TensorError.invalidArgument(op: op, message: "\(n) boxes but \(classes.count) classes")
        }
        if let bad = scores.firstIndex(where: { $0.isNaN }) {
            throw TensorError.invalidArgument(op: op, message: "score \(bad) is NaN")
        }
        // Descending score, ties by index: a total order, so the result is reproducible.
        let order = (0..<n).sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        var suppressed = [Bool](repeating: false, count: n)
        var keep: [Int] = []
        boxes.withUnsafeBufferPointer { c in
            let areas = (0..<n).map { area(c, $0) }
            for (rank, i) in order.enumerated() where !suppressed[i] {
                keep.append(i)
                for j in order[(rank + 1)...] where !suppressed[j] {
                    if let classes, classes[j] != classes[i] { continue }
                    if iou(c, i, areas[i], c, j, areas[j]) > iouThreshold { suppressed[j] = true }
                }
            }
        }
        return keep
    }
}
