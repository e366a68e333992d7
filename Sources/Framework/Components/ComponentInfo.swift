/// What `zoorun list` shows about a registered component.
public struct ComponentInfo: Sendable {
    public enum Category: String, CaseIterable, Sendable {
        case task, dataset, backbone, head, acquisition
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
