import Yams

/// Options of a pluggable component, decoded from its YAML section. `init()` gives the
/// defaults: a user's section is laid over the encoded defaults and then decoded strictly,
/// so every key is optional in YAML, unknown keys are errors, and `zoorun list` can print
/// the defaults by encoding `init()`.
public protocol ComponentOptions: Codable, Sendable {
    init()
    /// Checks values that types cannot (ranges, combinations); errors name the key.
    func validate() throws
}

extension ComponentOptions {
    public func validate() throws {}

    /// The defaults as YAML, for `zoorun list` and the docs.
    public static func defaultsYAML() -> String {
        let text = (try? YAMLEncoder().encode(Self())) ?? ""
        // Float options come out of the encoder widened to Double ("2.00000002980232e-1");
        // print them as the Float a user wrote ("0.2").
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard let colon = line.range(of: ": ") else { return String(line) }
            let value = line[colon.upperBound...]
            guard value.contains("e"), let d = Double(value), d.isFinite else { return String(line) }
            return line[..<colon.upperBound] + "\(Float(d))"
        }.joined(separator: "\n") + unsetKeys().map { "\n\($0): (unset)" }.joined()
    }

    /// Top-level keys whose default is nil: the encoder omits them, so `zoorun list` would
    /// hide them. Found by decoding the defaults and recording which keys were asked for.
    static func unsetKeys() -> [String] {
        guard let text = try? YAMLEncoder().encode(Self()), let node = try? Yams.compose(yaml: text),
              let mapping = node.mapping else { return [] }
        let context = DecodingContext(source: ConfigSource(file: "defaults", text: text))
        guard (try? Self(from: NodeDecoder(node: node, codingPath: [], context: context))) != nil,
              let top = context.indexByPath[""] else { return [] }
        let present = Set(mapping.keys.compactMap(\.string))
        return context.mappings[top].1.subtracting(present).sorted()
    }
}

extension ConfigNode {
    /// Decodes component options: the defaults, overlaid with this node's keys, decoded
    /// strictly (unknown keys are errors with their position), then validated.
    public func decodeOptions<T: ComponentOptions>(_ type: T.Type, ignoring: Set<String> = ["kind"]) throws -> T {
        let defaults = try Yams.compose(yaml: YAMLEncoder().encode(T())) ?? Node([(Node, Node)]())
        let merged = ConfigNode.overlay(node, on: defaults, ignoring: ignoring)
        let (value, unknown) = try ConfigDecoder(source: source).decodeCollecting(T.self, from: merged, ignoring: ignoring,
                                                                                    codingPath: codingPath)
        // Range checks run even when there are unknown keys, so both are reported at once.
        let invalid = ConfigErrors.collecting(at: source.error(at: node.mark, "\(pathString(codingPath)): ")) {
            do { try value.validate() } catch let e as ConfigError where e.line == nil {
                // validate() knows the rule, not the position: report it at the section.
                throw source.error(at: node.mark, "\(pathString(codingPath)): \(e.message)")
            }
        }
        try ConfigErrors.throwIfAny(unknown + invalid)
        return value
    }

    /// `top` laid over `base`: mappings merge key by key (top wins, keeping its positions).
    static func overlay(_ top: Node, on base: Node, ignoring: Set<String>) -> Node {
        guard case let .mapping(t) = top, case let .mapping(b) = base else { return isNull(top) ? base : top }
        var pairs: [(Node, Node)] = []
        var seen = Set<String>()
        for (k, v) in b {
            guard let name = k.string else { continue }
            if let tv = t[name] {
                pairs.append((t.first { $0.key.string == name }!.key, overlay(tv, on: v, ignoring: [])))
            } else {
                pairs.append((k, v))
            }
            seen.insert(name)
        }
        for (k, v) in t where !seen.contains(k.string ?? "") { pairs.append((k, v)) }
        return .mapping(Node.Mapping(pairs, .implicit, .any, t.mark))
    }
}
