/// Overlap of predicted masks with true masks, per class (mask channel): IoU and Dice at
/// probability thresholds, and soft Dice on the raw values.
///
/// Pixels are pooled over the examples that have a mask of the class before the ratios are
/// taken (as scikit-learn's `jaccard_score` / `f1_score` on the flattened masks). An example
/// without a mask of a class is left out of that class, never counted as an empty mask.
public struct SegmentationMetrics: Codable, Sendable, Equatable {
    /// Probability thresholds: a predicted pixel is positive when its value is ≥ the threshold.
    public var thresholds: [Double]
    /// iou[t][c] at `thresholds[t]`; nil when no example has a mask of class c or when neither
    /// truth nor prediction has a positive pixel (the ratio is 0/0).
    public var iou: [[Double?]]
    public var dice: [[Double?]]
    /// 2Σpt / (Σp + Σt) per class on the unthresholded values; nil when both sums are 0.
    public var softDice: [Double?]
    /// How many examples have a mask of each class.
    public var examples: [Int]

    /// - Parameters:
    ///   - predictions: probabilities, `[N, C, …]` (e.g. `[N, C, H, W]`).
    ///   - targets: the true masks, binary or soft in [0, 1], the same shape.
    ///   - present: `present[n][c]` whether example n has a mask of class c (all, if nil).
    ///   - targetThreshold: a true pixel is positive when its value is ≥ this (soft masks).
    public init(predictions: Tensor, targets: Tensor, present: [[Bool]]? = nil, thresholds: [Double] = [0.5],
                targetThreshold: Double = 0.5) throws {
        let op = "segmentation metrics"
        guard predictions.rank >= 2, predictions.shape == targets.shape else {
            throw TensorError.shapeMismatch(op: op, lhs: predictions.shape, rhs: targets.shape,
                                            detail: "predictions and targets must both be [N, C, …]")
        }
        let n = predictions.shape[0], c = predictions.shape[1]
        guard n > 0, c > 0, predictions.storage.count > 0 else {
            throw TensorError.invalidArgument(op: op, message: "no examples or classes in shape \(predictions.shape)")
        }
        let present = present ?? Array(repeating: Array(repeating: true, count: c), count: n)
        guard present.count == n, present.allSatisfy({ $0.count == c }) else {
            throw TensorError.invalidArgument(op: op, message: "presence flags must be \(n)×\(c), one per example and class")
        }
        guard !thresholds.isEmpty, thresholds.allSatisfy(\.isFinite), targetThreshold.isFinite else {
            throw TensorError.invalidArgument(op: op, message: "thresholds \(thresholds) and target threshold \(targetThreshold) must be finite and not empty")
        }
        for (name, t) in [("predictions", predictions), ("targets", targets)] {
            if let i = t.storage.firstIndex(where: { !$0.isFinite }) {
                throw TensorError.invalidArgument(op: op, message: "non-finite value \(t.storage[i]) in \(name) at flat index \(i)")
            }
        }
        let plane = predictions.storage.count / (n * c)
        // Per threshold and class: intersection, predicted and true positive counts.
        var inter = [[Double]](repeating: [Double](repeating: 0, count: c), count: thresholds.count)
        var predicted = inter, actual = [Double](repeating: 0, count: c)
        var product = actual, sumP = actual, sumT = actual
        var examples = [Int](repeating: 0, count: c)
        let p = predictions.storage, y = targets.storage
        for e in 0..<n {
            for k in 0..<c where present[e][k] {
                examples[k] += 1
                let base = (e * c + k) * plane
                for i in base..<(base + plane) {
                    let pi = Double(p[i]), yi = Double(y[i])
                    product[k] += pi * yi
                    sumP[k] += pi
                    sumT[k] += yi
                    let truth = yi >= targetThreshold
                    if truth { actual[k] += 1 }
                    for (t, threshold) in thresholds.enumerated() where pi >= threshold {
                        predicted[t][k] += 1
                        if truth { inter[t][k] += 1 }
                    }
                }
            }
        }
        func ratio(_ num: Double, _ den: Double, _ k: Int) -> Double? {
            examples[k] == 0 || den == 0 ? nil : num / den
        }
        self.thresholds = thresholds
        self.examples = examples
        iou = thresholds.indices.map { t in
            (0..<c).map { k in ratio(inter[t][k], predicted[t][k] + actual[k] - inter[t][k], k) }
        }
        dice = thresholds.indices.map { t in
            (0..<c).map { k in ratio(2 * inter[t][k], predicted[t][k] + actual[k], k) }
        }
        softDice = (0..<c).map { k in ratio(2 * product[k], sumP[k] + sumT[k], k) }
    }
}
