/// Margin sampling: 1 − (p₁ − p₂), the gap between the two most probable classes of the
/// mean predictive. 1 for a tie, 0 for a certain prediction.
public struct MarginAcquisition: Acquisition {
    public init() {}

    public func scores(_ input: AcquisitionInput) throws -> [Double] {
        try PredictiveStatistics.requireClassifier(input, method: "margin")
        try PredictiveStatistics.checkPasses(input, method: "margin", minimumOutputs: 2)
        return (0..<input.poolCount).map { i in
            var first = -Double.infinity, second = -Double.infinity
            for p in PredictiveStatistics.mean(input.passes, example: i) {
                if p > first { second = first; first = p } else if p > second { second = p }
            }
            return 1 - (first - second)
        }
    }
}

/// The registry entry for `acquisition: {kind: margin}`.
public enum MarginComponent: AcquisitionComponent {
    public static let kind = "margin"
    public static let summary = "1 − (p1 − p2) of the mean predictive: small margins first (classifiers)"
    public struct Options: ComponentOptions { public init() {} }

    public static func make(options: Options, context: ComponentContext) throws -> any Acquisition { MarginAcquisition() }
}
