import Foundation
import Framework

/// The known truth a clustering is scored against: discrete labels per galaxy (the
/// simulator's `morphology`, `ring`, … or catalog columns named in the config).
public struct TruthLabels: Sendable {
    /// Label name → one value per galaxy, in the order of the galaxies clustered.
    public var values: [String: [Int]]
    public var names: [String]

    /// Reads `names` for `indices` of `dataset`; throws naming the first galaxy without a label
    /// or with a non-integer one (continuous labels cannot be scored as classes).
    public init(_ names: [String], dataset: any Dataset, indices: [Int]) throws {
        self.names = names
        var values: [String: [Int]] = [:]
        for i in indices {
            let labels = try dataset.targets(at: i).labels
            for name in names {
                guard let v = labels[name] else {
                    throw ConfigError(file: "task", message: "truth label '\(name)' is missing for galaxy \(dataset.id(at: i)) (labels: \(labels.keys.sorted().joined(separator: ", ")))")
                }
                guard v.isFinite, v == v.rounded() else {
                    throw ConfigError(file: "task", message: "truth label '\(name)' of galaxy \(dataset.id(at: i)) is \(v); scoring needs integer classes")
                }
                values[name, default: []].append(Int(v))
            }
        }
        self.values = values
    }
}
