/// A reliability curve: predicted probabilities (or vote fractions) binned into equal bins
/// of [0, 1], each bin's mean prediction against the mean of what it predicted (a label,
/// a pixel's soft truth, the volunteers' fraction). A calibrated model lies on the diagonal;
/// the expected calibration error is the count-weighted mean gap between the two.
public struct ReliabilityCurve: Codable, Sendable, Equatable {
    public struct Bin: Codable, Sendable, Equatable {
        public var meanPrediction: Double
        public var meanTarget: Double
        public var count: Int
    }

    public let binCount: Int
    private var sumPrediction: [Double]
    private var sumTarget: [Double]
    private var counts: [Int]

    /// An empty curve of ten bins, as the GZ DESI and most calibration figures draw.
    public init() { self.init(checked: 10) }

    /// An empty curve of `bins` equal bins (at least one).
    public init(bins: Int) throws {
        guard bins > 0 else {
            throw TensorError.invalidArgument(op: "reliability curve", message: "needs at least one bin, got \(bins)")
        }
        self.init(checked: bins)
    }

    private init(checked bins: Int) {
        binCount = bins
        sumPrediction = [Double](repeating: 0, count: bins)
        sumTarget = sumPrediction
        counts = [Int](repeating: 0, count: bins)
    }

    /// Adds one prediction (clamped into [0, 1]) and its target. NaN pairs are skipped: a
    /// missing target is not evidence either way.
    public mutating func add(prediction: Double, target: Double) {
        guard !prediction.isNaN, !target.isNaN else { return }
        let p = min(max(prediction, 0), 1)
        let b = min(binCount - 1, Int(p * Double(binCount)))
        sumPrediction[b] += p
        sumTarget[b] += target
        counts[b] += 1
    }

    /// The bins that hold any prediction, in order of prediction.
    public var bins: [Bin] {
        (0..<binCount).filter { counts[$0] > 0 }.map {
            Bin(meanPrediction: sumPrediction[$0] / Double(counts[$0]), meanTarget: sumTarget[$0] / Double(counts[$0]), count: counts[$0])
        }
    }

    public var count: Int { counts.reduce(0, +) }

    /// Σ (bin count / total) × |mean prediction − mean target|; NaN when empty.
    public var expectedCalibrationError: Double {
        let total = count
        guard total > 0 else { return .nan }
        return bins.reduce(0) { $0 + Double($1.count) / Double(total) * abs($1.meanPrediction - $1.meanTarget) }
    }
}
