/// Variation ratios: 1 − the fraction of MC-dropout passes whose predicted class is the
/// modal one. 0 when every pass agrees.
public struct VariationRatiosAcquisition: Acquisition {
    public init() {}

    public func scores(_ input: AcquisitionInput) throws -> [Double] {
        try PredictiveStatistics.requireClassifier(input, method: "variation-ratios")
        try PredictiveStatistics.checkPasses(input, method: "variation-ratios")
        let passes = input.passes
        return (0..<input.poolCount).map { i in
            var votes = [Int](repeating: 0, count: passes[0][i].count)
            for pass in passes { votes[PredictiveStatistics.argmax(pass[i])] += 1 }
            return 1 - Double(votes.max() ?? 0) / Double(passes.count)
        }
    }
}

/// The registry entry for `acquisition: {kind: variation-ratios}`.
public enum VariationRatiosComponent: AcquisitionComponent {
    public static let kind = "variation-ratios"
    public static let summary = "1 − fraction of MC-dropout passes agreeing with the modal class (classifiers)"
    public struct Options: ComponentOptions { public init() {} }

    public static func make(options: Options, context: ComponentContext) throws -> any Acquisition { VariationRatiosAcquisition() }
}
