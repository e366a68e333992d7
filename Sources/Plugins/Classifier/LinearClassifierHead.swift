import Framework

/// A linear classifier on the pooled representation: dropout then one Linear layer,
/// trained with cross-entropy (label smoothing, class weights). Usable with MC dropout.
public final class LinearClassifierHead: Module, ClassLabelPredicting {
    let dropout: Dropout
    let linear: Linear
    public let label: String
    public let outputNames: [String]
    let labelSmoothing: Float
    let classWeights: [Float]?

    public init(inputWidth: Int, label: String, classes: [String], dropout p: Float, labelSmoothing: Float,
                classWeights: [Float]?, rng: inout RandomGenerator) {
        dropout = Dropout(p, seed: rng.next())
        linear = Linear(inputWidth, classes.count, rng: &rng)
        // Small initial logits: a head that starts with outputs spread ~O(1) or more can keep a
        // from-scratch network at chance on a few hundred images.
        linear.weight.storage = linear.weight.storage.map { _ in 0.01 * rng.normal() }
        linear.bias!.storage = [Float](repeating: 0, count: classes.count)
        self.label = label
        self.outputNames = classes
        self.labelSmoothing = labelSmoothing
        self.classWeights = classWeights
        super.init()
    }

    override public var keyNames: [String: String] { ["linear": "fc"] }

    public func callAsFunction(_ representation: Tensor) throws -> Tensor {
        try linear(dropout(representation))
    }

    func classIndices(_ targets: Targets) throws -> [Int] {
        guard let column = targets.labels[label] else {
            throw TensorError.invalidArgument(op: "classifier head", message: "the data has no label column '\(label)'")
        }
        return try column.enumerated().map { i, v in
            if let problem = labelProblem(v, column: label) {
                throw TensorError.invalidArgument(op: "classifier head", message: "example \(i): label '\(label)' = \(v) \(problem)")
            }
            return Int(v)
        }
    }

    public var labelColumns: [String] { [label] }

    public func labelProblem(_ value: Float, column: String) -> String? {
        guard column == label else { return nil }
        // Range before Int(_:), which traps on values past Int's range.
        guard value.isFinite, value >= 0, value < Float(outputNames.count), value == value.rounded() else {
            return "is not a class index in 0..<\(outputNames.count) (classes: \(outputNames.joined(separator: ", ")))"
        }
        return nil
    }

    public func loss(outputs: Tensor, targets: Targets) throws -> Tensor {
        try Loss.crossEntropy(logits: outputs, targets: classIndices(targets), labelSmoothing: labelSmoothing,
                              classWeights: classWeights)
    }

    public func predictions(outputs: Tensor) throws -> Tensor { try outputs.softmax(axis: -1) }

    public func metrics(predictions: [[Float]], targets: Targets) -> [String: Double] {
        guard let labels = try? classIndices(targets) else { return [:] }
        let m = ClassificationMetrics(probabilities: predictions, labels: labels)
        var out: [String: Double] = ["accuracy": m.accuracy]
        if outputNames.count == 2 {
            out["precision"] = m.precision[1]
            out["recall"] = m.recall[1]
            out["f1"] = m.f1[1]
        } else {
            out["macro_f1"] = m.f1.reduce(0, +) / Double(max(1, m.f1.count))
        }
        if let auc = m.rocAUC { out["roc_auc"] = auc }
        return out
    }

    public func hasTarget(_ targets: Targets, at index: Int) -> Bool {
        guard let v = targets.labels[label]?[index] else { return false }
        return labelProblem(v, column: label) == nil
    }
}

/// The registry entry for `kind: linear-classifier`.
public enum LinearClassifierComponent: HeadComponent {
    public static let kind = "linear-classifier"
    public static let summary = "Dropout + Linear on the pooled representation; cross-entropy with label smoothing and class weights"

    public struct Options: ComponentOptions {
        /// The label column holding class indices 0..<classes.
        public var label = "label"
        /// Class names, in index order (prediction columns are named after them).
        public var classes = ["no", "yes"]
        public var dropout: Float = 0.2
        public var labelSmoothing: Float = 0
        public var classWeights: [Float]?

        public init() {}

        enum CodingKeys: String, CodingKey {
            case label, classes, dropout
            case labelSmoothing = "label_smoothing"
            case classWeights = "class_weights"
        }

        public func validate() throws {
            guard classes.count >= 2 else { throw ConfigError(file: "head", message: "classes: need at least two classes") }
            guard (0..<1).contains(dropout) else { throw ConfigError(file: "head", message: "dropout \(dropout) must be in [0, 1)") }
            guard (0..<1).contains(labelSmoothing) else { throw ConfigError(file: "head", message: "label_smoothing must be in [0, 1)") }
            if let w = classWeights, w.count != classes.count {
                throw ConfigError(file: "head", message: "class_weights has \(w.count) values for \(classes.count) classes")
            }
        }
    }

    public static func make(options: Options, context: ComponentContext) throws -> any Head {
        var rng = RandomGenerator(seed: context.seed, stream: 0x4845_4144)
        return LinearClassifierHead(inputWidth: context.inputWidth, label: options.label, classes: options.classes,
                                    dropout: options.dropout, labelSmoothing: options.labelSmoothing,
                                    classWeights: options.classWeights, rng: &rng)
    }
}
