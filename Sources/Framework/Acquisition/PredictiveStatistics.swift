import Foundation

/// Shared arithmetic of the classifier acquisition functions: entropies, the mean predictive
/// over MC-dropout passes, and checks that the passes are well formed.
public enum PredictiveStatistics {
    /// Shannon entropy in nats; zero probabilities contribute 0.
    public static func entropy<C: Collection>(_ p: C) -> Double where C.Element: BinaryFloatingPoint {
        var h = 0.0
        for v in p where v > 0 { let d = Double(v); h -= d * log(d) }
        return h
    }

    /// The mean over passes of example `i`'s outputs.
    public static func mean(_ passes: [[[Float]]], example i: Int) -> [Double] {
        var m = [Double](repeating: 0, count: passes[0][i].count)
        for pass in passes { for (j, v) in pass[i].enumerated() { m[j] += Double(v) } }
        let t = Double(passes.count)
        return m.map { $0 / t }
    }

    /// Index of the largest value (the first on ties).
    public static func argmax<C: Collection>(_ v: C) -> Int where C.Element: Comparable, C.Index == Int {
        var best = v.startIndex
        for i in v.indices where v[i] > v[best] { best = i }
        return best
    }

    /// Throws unless there is at least one pass, every pass covers the same pool and every
    /// example has the same number of outputs (at least `minimumOutputs`).
    public static func checkPasses(_ input: AcquisitionInput, method: String, minimumOutputs: Int = 1) throws {
        let passes = input.passes
        guard let first = passes.first else {
            throw TensorError.invalidArgument(op: method, message: "needs at least one MC-dropout pass")
        }
        let width = first.first?.count ?? minimumOutputs
        guard width >= minimumOutputs else {
            throw TensorError.invalidArgument(op: method, message: "needs at least \(minimumOutputs) outputs per example, got \(width)")
        }
        for (t, pass) in passes.enumerated() {
            guard pass.count == first.count else {
                throw TensorError.invalidArgument(op: method, message: "pass \(t) has \(pass.count) examples, pass 0 has \(first.count)")
            }
            for (i, row) in pass.enumerated() where row.count != width {
                throw TensorError.invalidArgument(op: method, message: "pass \(t), example \(i): \(row.count) outputs, expected \(width)")
            }
        }
    }

    /// Throws when a vote-tree input (Dirichlet concentrations) reaches a method that needs
    /// class probabilities.
    static func requireClassifier(_ input: AcquisitionInput, method: String) throws {
        if input.tree != nil {
            throw TensorError.invalidArgument(op: method,
                message: "needs class probabilities; for vote-tree models (Dirichlet concentrations) use bald")
        }
    }
}
