import Framework

/// A regressor on the pooled representation (Zoobot's `FinetuneableZoobotRegressor`): dropout
/// and one Linear output, trained with MSE or MAE; with `unit_interval` the output passes
/// through a sigmoid (for targets in [0, 1] such as vote fractions). Usable with MC dropout.
public final class RegressorHead: Module, Head {
    let dropout: Dropout
    let linear: Linear
    public let label: String
    let loss: RegressorComponent.LossKind
    let unitInterval: Bool

    init(inputWidth: Int, label: String, loss: RegressorComponent.LossKind, unitInterval: Bool, dropout p: Float,
         rng: inout RandomGenerator) {
        dropout = Dropout(p, seed: rng.next())
        linear = Linear(inputWidth, 1, rng: &rng)
        linear.weight.storage = linear.weight.storage.map { _ in 0.01 * rng.normal() }
        linear.bias!.storage = [0]
        self.label = label
        self.loss = loss
        self.unitInterval = unitInterval
        super.init()
    }

    override public var keyNames: [String: String] { ["linear": "fc"] }

    public var outputNames: [String] { [label] }

    public var labelColumns: [String] { [label] }

    public func labelProblem(_ value: Float, column: String) -> String? {
        column == label && !value.isFinite ? "is not a finite number" : nil
    }

    public func callAsFunction(_ representation: Tensor) throws -> Tensor {
        try linear(dropout(representation))
    }

    public func predictions(outputs: Tensor) throws -> Tensor { unitInterval ? outputs.sigmoid() : outputs }

    public func loss(outputs: Tensor, targets: Targets) throws -> Tensor {
        guard let column = targets.labels[label] else {
            throw TensorError.invalidArgument(op: "regressor head", message: "the data has no label column '\(label)'")
        }
        let y = try Tensor(shape: [column.count, 1], storage: column)
        let p = try predictions(outputs: outputs)
        let perExample = loss == .mse ? try Loss.mse(p, y) : try Loss.l1(p, y)
        return try perExample.reshaped([column.count])
    }

    public func metrics(predictions: [[Float]], targets: Targets) -> [String: Double] {
        guard let truth = targets.labels[label], truth.count == predictions.count, !truth.isEmpty else { return [:] }
        var se = 0.0, ae = 0.0
        for (p, t) in zip(predictions, truth) {
            let d = Double(p[0] - t)
            se += d * d
            ae += abs(d)
        }
        let n = Double(truth.count)
        let mean = truth.reduce(0.0) { $0 + Double($1) } / n
        let variance = truth.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
        return ["rmse": (se / n).squareRoot(), "mae": ae / n, "r2": variance > 0 ? 1 - se / n / variance : .nan]
    }

    public func hasTarget(_ targets: Targets, at index: Int) -> Bool {
        targets.labels[label]?[index].isFinite ?? false
    }
}

/// The registry entry for `kind: regressor`.
public enum RegressorComponent: HeadComponent {
    public static let kind = "regressor"
    public static let summary = "Dropout + Linear to one value; MSE or MAE, optionally squashed to [0, 1]"

    public enum LossKind: String, ConfigEnum, Codable, Sendable { case mse, mae }

    public struct Options: ComponentOptions {
        /// The label column to regress.
        public var label = "label"
        public var loss = LossKind.mse
        /// Squash predictions into [0, 1] with a sigmoid (vote fractions, probabilities).
        public var unitInterval = false
        public var dropout: Float = 0.2

        public init() {}

        enum CodingKeys: String, CodingKey { case label, loss, dropout, unitInterval = "unit_interval" }

        public func validate() throws {
            guard (0..<1).contains(dropout) else { throw ConfigError(file: "head", message: "dropout must be in [0, 1)") }
        }
    }

    public static func make(options: Options, context: ComponentContext) throws -> any Head {
        var rng = RandomGenerator(seed: context.seed, stream: 0x5245_4752)
        return RegressorHead(inputWidth: context.inputWidth, label: options.label, loss: options.loss,
                             unitInterval: options.unitInterval, dropout: options.dropout, rng: &rng)
    }
}
