import Yams

/// Strict YAML decoding for experiment files: unknown or misspelt keys are errors, and every
/// error points at the file, line and column of the offending node.
///
/// It decodes `Decodable` types directly from Yams's node tree (which keeps each node's
/// position), records which keys each type asked for, and after decoding reports any key
/// nobody asked for, with the nearest valid key as a suggestion.
public struct ConfigDecoder {
    public var source: ConfigSource

    public init(source: ConfigSource) { self.source = source }

    /// Parses `text` into a node tree, turning YAML syntax errors into positioned errors.
    public static func parse(_ text: String, file: String) throws -> Node {
        let source = ConfigSource(file: file, text: text)
        try ConfigLimits.check(text, file: file)
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigError(file: file, message: "the file is empty; an experiment needs at least a `task:` section")
            }
            return node
        } catch let e as YamlError {
            switch e {
            case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _):
                throw source.error(at: mark, "YAML syntax: \(problem)")
            default:
                throw ConfigError(file: file, message: "YAML: \(e)")
            }
        }
    }

    /// Decodes `type` from `node`, then rejects keys that no type asked for.
    public func decode<T: Decodable>(_ type: T.Type, from node: Node, ignoring: Set<String> = [],
                                     codingPath: [CodingKey] = []) throws -> T {
        let (value, unknown) = try decodeCollecting(type, from: node, ignoring: ignoring, codingPath: codingPath)
        try ConfigErrors.throwIfAny(unknown)
        return value
    }

    /// Decodes `type` from `node` and returns it with every unknown key, so a caller can
    /// go on to check the rest of the file before reporting them.
    public func decodeCollecting<T: Decodable>(_ type: T.Type, from node: Node, ignoring: Set<String> = [],
                                               codingPath: [CodingKey] = []) throws -> (T, unknownKeys: [ConfigError]) {
        let context = DecodingContext(source: source)
        let decoder = NodeDecoder(node: node, codingPath: codingPath, context: context, ignoredKeys: ignoring)
        let value: T
        do {
            value = try T(from: decoder)
        } catch let e as DecodingError {
            throw context.describe(e, root: node)
        }
        return (value, ConfigErrors.collecting(at: ConfigError(file: source.file, message: "")) { try context.checkUnknownKeys() })
    }
}

/// State shared by every container of one decode: the source, and which keys each mapping
/// was asked for.
final class DecodingContext {
    let source: ConfigSource
    /// (mapping node, keys asked for, path, ignored keys), for the unknown-key check.
    var mappings: [(Node.Mapping, Set<String>, [CodingKey], Set<String>)] = []

    init(source: ConfigSource) { self.source = source }

    /// Index of the mapping at `path`; several containers on one mapping (a type that first
    /// lists `allKeys`, then decodes) share one set of asked keys.
    var indexByPath: [String: Int] = [:]

    func register(_ m: Node.Mapping, path: [CodingKey], ignoring: Set<String>) -> Int {
        let id = pathString(path)
        if let i = indexByPath[id] { return i }
        mappings.append((m, [], path, ignoring))
        indexByPath[id] = mappings.count - 1
        return mappings.count - 1
    }

    func asked(_ index: Int, _ key: String) { mappings[index].1.insert(key) }

    /// Every key nobody asked for, all reported together.
    func checkUnknownKeys() throws {
        var errors: [ConfigError] = []
        for (mapping, asked, path, ignored) in mappings {
            for (k, _) in mapping {
                guard let name = k.string, !asked.contains(name), !ignored.contains(name) else { continue }
                let whereText = path.isEmpty ? "at the top level" : "in '\(pathString(path))'"
                var message = "unknown key '\(name)' \(whereText)"
                if let s = nearest(name, in: Array(asked)) { message += "; did you mean '\(s)'?" }
                else if !asked.isEmpty { message += "; known keys: \(asked.sorted().joined(separator: ", "))" }
                errors.append(source.error(at: k.mark, message))
            }
        }
        try ConfigErrors.throwIfAny(errors)
    }

    /// Turns a DecodingError from a custom `init(from:)` into a positioned error by walking
    /// its coding path down the node tree.
    func describe(_ error: DecodingError, root: Node) -> ConfigError {
        func locate(_ path: [CodingKey]) -> Node? {
            var node: Node? = root
            for key in path {
                guard let n = node else { return nil }
                switch n {
                case let .mapping(m): node = m[key.stringValue]
                case let .sequence(s): node = key.intValue.flatMap { $0 < s.count ? s[$0] : nil }
                default: return nil
                }
            }
            return node
        }
        switch error {
        case let .keyNotFound(key, ctx):
            let parent = locate(ctx.codingPath)
            let whereText = ctx.codingPath.isEmpty ? "at the top level" : "in '\(pathString(ctx.codingPath))'"
            return source.error(at: parent?.mark, "missing key '\(key.stringValue)' \(whereText)")
        case let .typeMismatch(_, ctx), let .valueNotFound(_, ctx), let .dataCorrupted(ctx):
            let node = locate(ctx.codingPath)
            let name = ctx.codingPath.isEmpty ? "" : "'\(pathString(ctx.codingPath))': "
            return source.error(at: node?.mark, name + ctx.debugDescription)
        @unknown default:
            return ConfigError(file: source.file, message: "\(error)")
        }
    }
}

func pathString(_ path: [CodingKey]) -> String {
    var s = ""
    for k in path {
        if let i = k.intValue { s += "[\(i)]" } else { s += s.isEmpty ? k.stringValue : ".\(k.stringValue)" }
    }
    return s
}

struct IndexKey: CodingKey {
    var stringValue: String { "\(intValue!)" }
    var intValue: Int?
    init(_ i: Int) { intValue = i }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}

/// A mapping key by name, for coding paths built by hand and for listing a mapping's keys.
struct NameKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A `Decoder` over one Yams node.
final class NodeDecoder: Decoder {
    let node: Node
    let codingPath: [CodingKey]
    let context: DecodingContext
    let ignoredKeys: Set<String>
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(node: Node, codingPath: [CodingKey], context: DecodingContext, ignoredKeys: Set<String> = []) {
        self.node = node
        self.codingPath = codingPath
        self.context = context
        self.ignoredKeys = ignoredKeys
    }

    func fail(_ message: String, at node: Node? = nil) -> ConfigError {
        let name = codingPath.isEmpty ? "" : "'\(pathString(codingPath))': "
        return context.source.error(at: (node ?? self.node).mark, name + message)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case let .mapping(m) = node else {
            throw fail("expected a mapping (key: value lines), found \(describeNode(node))")
        }
        let index = context.register(m, path: codingPath, ignoring: ignoredKeys)
        return KeyedDecodingContainer(KeyedNodeContainer<Key>(mapping: m, decoder: self, index: index))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case let .sequence(s) = node else {
            throw fail("expected a list, found \(describeNode(node))")
        }
        return UnkeyedNodeContainer(nodes: Array(s), decoder: self)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { SingleNodeContainer(decoder: self) }

    /// Decodes a value of type T from `node`, with positioned errors for scalars.
    func decode<T: Decodable>(_ type: T.Type, from node: Node, path: [CodingKey]) throws -> T {
        let child = NodeDecoder(node: node, codingPath: path, context: context)
        if let v = try child.scalar(type) { return v }
        return try T(from: child)
    }

    /// Primitive scalars, parsed here so that type errors quote the offending text.
    func scalar<T>(_ type: T.Type) throws -> T? {
        func text(_ expected: String) throws -> String {
            guard case let .scalar(s) = node else { throw fail("expected \(expected), found \(describeNode(node))") }
            return s.string
        }
        switch type {
        case is String.Type:
            guard case let .scalar(s) = node else { throw fail("expected a string, found \(describeNode(node))") }
            return (s.string as! T)
        case is Bool.Type:
            let t = try text("true or false")
            switch t.lowercased() {
            case "true", "yes", "on": return (true as! T)
            case "false", "no", "off": return (false as! T)
            default: throw fail("expected true or false, found '\(t)'")
            }
        case is Int.Type:
            let t = try text("Int")
            guard let v = Int(t.replacingOccurrences(of: "_", with: "")) else { throw fail("expected Int, found '\(t)'") }
            return (v as! T)
        case is UInt64.Type:
            let t = try text("a non-negative integer")
            guard let v = UInt64(t) else { throw fail("expected a non-negative integer, found '\(t)'") }
            return (v as! T)
        case is Double.Type, is Float.Type:
            let t = try text("a number")
            let cleaned = t.replacingOccurrences(of: "_", with: "")
            guard let v = Double(cleaned) ?? (cleaned == ".inf" ? .infinity : nil), v.isFinite || cleaned.contains("inf") else {
                throw fail("expected a number, found '\(t)'")
            }
            return type is Float.Type ? (Float(v) as! T) : (v as! T)
        default:
            if let e = type as? any ConfigEnum.Type {
                let t = try text("one of \(e.allowedValues.joined(separator: ", "))")
                guard let v = e.init(rawValue: t) else {
                    var message = "invalid value '\(t)'; expected one of: \(e.allowedValues.joined(separator: ", "))"
                    if let s = nearest(t, in: e.allowedValues) { message += " (did you mean '\(s)'?)" }
                    throw fail(message)
                }
                return (v as! T)
            }
            return nil
        }
    }
}

func describeNode(_ node: Node) -> String {
    switch node {
    case let .scalar(s): return "'\(s.string)'"
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    }
}

func isNull(_ node: Node) -> Bool {
    guard case let .scalar(s) = node else { return false }
    return s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string)
}

struct KeyedNodeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let mapping: Node.Mapping
    let decoder: NodeDecoder
    let index: Int
    var codingPath: [CodingKey] { decoder.codingPath }

    var allKeys: [Key] { mapping.compactMap { $0.key.string.flatMap(Key.init(stringValue:)) } }

    func contains(_ key: Key) -> Bool {
        decoder.context.asked(index, key.stringValue)
        return mapping[key.stringValue] != nil
    }

    func value(_ key: Key) throws -> Node {
        decoder.context.asked(index, key.stringValue)
        guard let v = mapping[key.stringValue] else {
            let whereText0 = codingPath.isEmpty ? "at the top level" : "in '\(pathString(codingPath))'"
            // A missing key next to an unknown one is most often a typo: point at the typo.
            let unknown: [(name: String, node: Node)] = mapping.compactMap { pair in
                guard let name = pair.key.string, Key(stringValue: name) == nil else { return nil }
                return (name, pair.key)
            }
            if let typo = unknown.first(where: { nearest($0.name, in: [key.stringValue]) != nil }) {
                throw decoder.context.source.error(at: typo.1.mark,
                    "unknown key '\(typo.0)' \(whereText0); did you mean '\(key.stringValue)'? ('\(key.stringValue)' is required)")
            }
            let whereText = codingPath.isEmpty ? "at the top level" : "in '\(pathString(codingPath))'"
            throw decoder.context.source.error(at: decoder.node.mark, "missing key '\(key.stringValue)' \(whereText)")
        }
        return v
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        decoder.context.asked(index, key.stringValue)
        guard let v = mapping[key.stringValue] else { return true }
        return isNull(v)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.decode(type, from: value(key), path: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try NodeDecoder(node: value(key), codingPath: codingPath + [key], context: decoder.context).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try NodeDecoder(node: value(key), codingPath: codingPath + [key], context: decoder.context).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> Decoder {
        NodeDecoder(node: try value(key), codingPath: codingPath + [key], context: decoder.context)
    }
}

struct UnkeyedNodeContainer: UnkeyedDecodingContainer {
    let nodes: [Node]
    let decoder: NodeDecoder
    var currentIndex = 0
    var codingPath: [CodingKey] { decoder.codingPath }
    var count: Int? { nodes.count }
    var isAtEnd: Bool { currentIndex >= nodes.count }

    init(nodes: [Node], decoder: NodeDecoder) {
        self.nodes = nodes
        self.decoder = decoder
    }

    mutating func next() throws -> Node {
        guard !isAtEnd else { throw decoder.fail("the list has too few items") }
        defer { currentIndex += 1 }
        return nodes[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, isNull(nodes[currentIndex]) else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let i = currentIndex
        return try decoder.decode(type, from: next(), path: codingPath + [IndexKey(i)])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let i = currentIndex
        return try NodeDecoder(node: next(), codingPath: codingPath + [IndexKey(i)], context: decoder.context).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        let i = currentIndex
        return try NodeDecoder(node: next(), codingPath: codingPath + [IndexKey(i)], context: decoder.context).unkeyedContainer()
    }

    mutating func superDecoder() throws -> Decoder {
        let i = currentIndex
        return NodeDecoder(node: try next(), codingPath: codingPath + [IndexKey(i)], context: decoder.context)
    }
}

struct SingleNodeContainer: SingleValueDecodingContainer {
    let decoder: NodeDecoder
    var codingPath: [CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { isNull(decoder.node) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let v = try decoder.scalar(type) { return v }
        return try T(from: decoder)
    }
}
