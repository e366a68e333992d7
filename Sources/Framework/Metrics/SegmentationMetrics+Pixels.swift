/// Pixel-level scores of soft masks that the thresholded overlaps do not give: ROC AUC of
/// pixel probabilities against binary truth, and calibration of probabilities against soft
/// truth (e.g. the fraction of volunteers who covered a pixel).
extension SegmentationMetrics {
    /// One bin of a calibration curve: the mean prediction and mean truth of its pixels.
    public struct CalibrationBin: Codable, Sendable, Equatable {
        public var meanPrediction: Double
        public var meanTarget: Double
        public var pixels: Int
    }

    /// ROC AUC per class (mask channel) of every pixel's probability against the truth
    /// `targets ≥ targetThreshold`, pooling the pixels of the examples that have a mask of
    /// the class; nil when a class has no such example, or no positive or no negative pixel.
    /// - Parameters: as `init(predictions:targets:present:…)`.
    public static func pixelROCAUC(predictions: Tensor, targets: Tensor, present: [[Bool]]? = nil,
                                   targetThreshold: Double = 0.5) throws -> [Double?] {
        let (n, c, plane, present) = try checkedPlanes(predictions, targets, present, op: "pixel ROC AUC")
        return (0..<c).map { k in
            var scores: [Double] = [], positives: [Bool] = []
            for e in 0..<n where present[e][k] {
                let base = (e * c + k) * plane
                for i in base..<(base + plane) {
                    scores.append(Double(predictions.storage[i]))
                    positives.append(Double(targets.storage[i]) >= targetThreshold)
                }
            }
            return ClassificationMetrics.auc(scores: scores, positives: positives)
        }
    }

    /// Calibration per class: pixels of the examples with a mask of the class binned by
    /// predicted probability into `bins` equal bins of [0, 1]; empty bins are left out.
    /// A calibrated model's bins lie on the diagonal: of pixels predicted at 0.3, 30 % of
    /// the soft truth.
    public static func calibration(predictions: Tensor, targets: Tensor, present: [[Bool]]? = nil,
                                   bins: Int = 10) throws -> [[CalibrationBin]] {
        _ = try ReliabilityCurve(bins: bins)
        let (n, c, plane, present) = try checkedPlanes(predictions, targets, present, op: "mask calibration")
        return try (0..<c).map { k in
            var curve = try ReliabilityCurve(bins: bins)
            for e in 0..<n where present[e][k] {
                let base = (e * c + k) * plane
                for i in base..<(base + plane) {
                    curve.add(prediction: Double(predictions.storage[i]), target: Double(targets.storage[i]))
                }
            }
            return curve.bins.map { CalibrationBin(meanPrediction: $0.meanPrediction, meanTarget: $0.meanTarget, pixels: $0.count) }
        }
    }

    /// Shapes and presence flags of a pair of `[N, C, …]` tensors, checked as the initialiser
    /// checks them.
    static func checkedPlanes(_ predictions: Tensor, _ targets: Tensor, _ present: [[Bool]]?,
                              op: String) throws -> (n: Int, c: Int, plane: Int, present: [[Bool]]) {
        guard predictions.rank >= 2, predictions.shape == targets.shape else {
            throw TensorError.shapeMismatch(op: op, lhs: predictions.shape, rhs: targets.shape,
                                            detail: "predictions and targets must both be [N, C, …]")
        }
        let n = predictions.shape[0], c = predictions.shape[1]
        guard n > 0, c > 0, predictions.count > 0 else {
            throw TensorError.invalidArgument(op: op, message: "no examples or classes in shape \(predictions.shape)")
        }
        let flags = present ?? Array(repeating: Array(repeating: true, count: c), count: n)
        guard flags.count == n, flags.allSatisfy({ $0.count == c }) else {
            throw TensorError.invalidArgument(op: op, message: "presence flags must be \(n)×\(c), one per example and class")
        }
        return (n, c, predictions.count / (n * c), flags)
    }
}
