/// Predictive entropy: the entropy of the mean class probabilities over MC-dropout passes.
/// High where the model, averaged over its uncertainty, is unsure.
public struct MaxEntropyAcquisition: Acquisition {
    public init() {}

    public func scores(_ input: AcquisitionInput) throws -> [Double] {
        try PredictiveStatistics.requireClassifier(input, method: "max-entropy")
        try PredictiveStatistics.checkPasses(input, method: "max-entropy")
        return (0..<input.poolCount).map { PredictiveStatistics.entropy(PredictiveStatistics.mean(input.passes, example: $0)) }
    }
}

/// The registry entry for `acquisition: {kind: max-entropy}`.
public enum MaxEntropyComponent: AcquisitionComponent {
    public static let kind = "max-entropy"
    public static let summary = "Entropy of the mean predictive over MC-dropout passes (classifiers)"
    public struct Options: ComponentOptions { public init() {} }

    public static func make(options: Options, context: ComponentContext) throws -> any Acquisition { MaxEntropyAcquisition() }
}
