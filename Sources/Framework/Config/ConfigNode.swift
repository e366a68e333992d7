import Yams

/// A piece of YAML kept undecoded until its type is known — a plugin's options, chosen by
/// its `kind:` — so that it can be decoded later with the same strict rules and positions.
public struct ConfigNode: Decodable, @unchecked Sendable {
    public var node: Node
    /// Where the node came from, for errors.
    public var source: ConfigSource
    /// Where the node sits in the file's tree, for error messages.
    public var codingPath: [CodingKey]

    public init(node: Node, source: ConfigSource, codingPath: [CodingKey] = []) {
        self.node = node
        self.source = source
        self.codingPath = codingPath
    }

    public init(from decoder: Decoder) throws {
        guard let d = decoder as? NodeDecoder else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "ConfigNode can only be decoded by ConfigDecoder"))
        }
        self.node = d.node
        self.source = d.context.source
        self.codingPath = d.codingPath
    }

    /// The string value of `key` in a mapping node (used to read `kind:` before decoding).
    public func string(_ key: String) -> String? {
        guard case let .mapping(m) = node, let v = m[key], case let .scalar(s) = v else { return nil }
        return s.string
    }

    /// Decodes this node strictly as `T`; `ignoring` names keys that belong to the caller
    /// (such as `kind`) and are not T's.
    public func decode<T: Decodable>(_ type: T.Type, ignoring: Set<String> = []) throws -> T {
        try ConfigDecoder(source: source).decode(type, from: node, ignoring: ignoring, codingPath: codingPath)
    }
}

/// The text a configuration was read from, for error positions.
public struct ConfigSource: Sendable {
    public var file: String
    public var lines: [String]

    public init(file: String, text: String) {
        self.file = file
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func error(at mark: Mark?, _ message: String) -> ConfigError {
        guard let mark else { return ConfigError(file: file, message: message) }
        let line = mark.line >= 1 && mark.line <= lines.count ? lines[mark.line - 1] : nil
        return ConfigError(file: file, line: mark.line, column: mark.column, message: message, sourceLine: line)
    }
}
