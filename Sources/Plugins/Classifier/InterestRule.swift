import Framework

/// A simulated user's taste: a galaxy is interesting (rating 1) when any of its conditions
/// holds on the simulator's truth labels, e.g. `ring == 1` or `merger > 0`.
public struct InterestRule: Sendable, Equatable {
    public struct Condition: Sendable, Equatable {
        public var label: String
        public var op: String
        public var value: Float

        func holds(_ v: Float) -> Bool {
            switch op {
            case "==": return v == value
            case "!=": return v != value
            case ">": return v > value
            case ">=": return v >= value
            case "<": return v < value
            default: return v <= value
            }
        }
    }

    public var conditions: [Condition]

    static let operators: Set<String> = ["==", "!=", ">", ">=", "<", "<="]

    /// Parses `label op value` strings (whitespace-separated); errors name the condition.
    public init(_ texts: [String]) throws {
        conditions = try texts.enumerated().map { i, text in
            let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard parts.count == 3, Self.operators.contains(parts[1]), let v = Float(parts[2]), v.isFinite else {
                throw ConfigError(file: "task", message: "interesting[\(i)]: '\(text)' is not 'label op number' with op one of == != > >= < <=")
            }
            return Condition(label: parts[0], op: parts[1], value: v)
        }
        if conditions.isEmpty { throw ConfigError(file: "task", message: "interesting: give at least one condition") }
    }

    /// 1 if any condition holds on `labels`, else 0; a label the data lacks is an error.
    public func rating(_ labels: [String: Float], example: Int) throws -> Double {
        for c in conditions {
            guard let v = labels[c.label] else {
                throw ConfigError(file: "task", message: "interesting: example \(example) has no label '\(c.label)' (has \(labels.keys.sorted().joined(separator: ", ")))")
            }
            if c.holds(v) { return 1 }
        }
        return 0
    }
}
