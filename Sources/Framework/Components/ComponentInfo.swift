/// What `zoorun list` shows about a registered component.
public struct ComponentInfo: Sendable {
    /// A kind of component. Open: a plugin adds its own (`decoder`, `generator`,
    /// `clusterer`) with `extension ComponentInfo.Category { static let decoder: Self = "decoder" }`
    /// and registers components under it; `zoorun list` shows every category with a component.
    public struct Category: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { rawValue = value }
        public var description: String { rawValue }

        public static let task: Self = "task"
        public static let dataset: Self = "dataset"
        public static let backbone: Self = "backbone"
        public static let head: Self = "head"
        public static let acquisition: Self = "acquisition"
        /// The framework's own categories, in the order `zoorun list` shows them first.
        public static let builtIn: [Self] = [.task, .dataset, .backbone, .head, .acquisition]
    }

    public var category: Category
    public var kind: String
    public var summary: String
    /// The options with their defaults, as YAML.
    public var defaults: String
    /// The plugin module that provides it ("Framework" for built-ins).
    public var plugin: String

    public init(category: Category, kind: String, summary: String, defaults: String, plugin: String) {
        self.category = category
        self.kind = kind
        self.summary = summary
        self.defaults = defaults
        self.plugin = plugin
    }
}
