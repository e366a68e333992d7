import Yams

/// `--set key.path=value` overrides, applied to the YAML tree before decoding so that the
/// same strict checks apply to them.
public enum ConfigOverrides {
    /// Applies each `path=value` in order; the value is parsed as YAML (`5`, `adamw`,
    /// `[50, 100]`). Intermediate mappings are created when missing.
    public static func apply(_ assignments: [String], to root: Node) throws -> Node {
        var node = root
        for a in assignments {
            guard let eq = a.firstIndex(of: "=") else {
                throw ConfigError(file: "--set", message: "'\(a)' is not key.path=value")
            }
            let path = a[..<eq].split(separator: ".").map(String.init)
            let text = String(a[a.index(after: eq)...])
            guard !path.isEmpty, path.allSatisfy({ !$0.isEmpty }) else {
                throw ConfigError(file: "--set", message: "'\(a)': empty key in the path")
            }
            let value: Node
            try ConfigLimits.check(text, file: "--set \(a[..<eq])")
            do { value = try Yams.compose(yaml: text) ?? Node("") }
            catch { throw ConfigError(file: "--set", message: "'\(a)': the value is not valid YAML: \(error)") }
            node = try set(node, path: path[...], value: value, full: a)
        }
        return node
    }

    static func set(_ node: Node, path: ArraySlice<String>, value: Node, full: String) throws -> Node {
        guard let head = path.first else { return value }
        var pairs: [(Node, Node)]
        switch node {
        case let .mapping(m): pairs = m.map { ($0.key, $0.value) }
        case let .scalar(s) where isNull(.scalar(s)): pairs = []
        default:
            throw ConfigError(file: "--set", message: "'\(full)': '\(head)' is inside a value that is not a mapping")
        }
        if let i = pairs.firstIndex(where: { $0.0.string == head }) {
            pairs[i].1 = try set(pairs[i].1, path: path.dropFirst(), value: value, full: full)
        } else {
            pairs.append((Node(head), try set(Node([(Node, Node)]()), path: path.dropFirst(), value: value, full: full)))
        }
        let mark: Mark? = node.mark
        return .mapping(Node.Mapping(pairs, .implicit, .any, mark))
    }
}
