/// The table from `kind:` strings to components. Framework defines it and registers its
/// built-ins; `Sources/Runner` adds every plugin's components — the only place that knows
/// them all. An unknown kind lists the known ones and suggests the nearest.
public final class Registry: @unchecked Sendable {
    /// A type-erased factory: options node + context → component instance.
    public struct Entry {
        public var info: ComponentInfo
        public var make: (ConfigNode, ComponentContext) throws -> Any
    }

    private var entries: [ComponentInfo.Category: [String: Entry]] = [:]

    public init() {}

    /// Registers a factory under a category and kind; a kind registered twice is a
    /// programming error.
    public func add(_ category: ComponentInfo.Category, kind: String, summary: String, defaults: String,
                    plugin: String, make: @escaping (ConfigNode, ComponentContext) throws -> Any) {
        precondition(entries[category]?[kind] == nil, "Registry: \(category.rawValue) '\(kind)' is registered twice")
        entries[category, default: [:]][kind] = Entry(
            info: ComponentInfo(category: category, kind: kind, summary: summary, defaults: defaults, plugin: plugin),
            make: make)
    }

    /// Every registered component of a category, sorted by kind.
    public func infos(_ category: ComponentInfo.Category) -> [ComponentInfo] {
        (entries[category] ?? [:]).values.map(\.info).sorted { $0.kind < $1.kind }
    }

    /// Known kinds of a category.
    public func kinds(_ category: ComponentInfo.Category) -> [String] { infos(category).map(\.kind) }

    /// Builds the component a section names by its `kind:`, as type `T`.
    public func make<T>(_ category: ComponentInfo.Category, from section: ConfigNode, context: ComponentContext,
                        as type: T.Type = T.self) throws -> T {
        guard let kind = section.string("kind") else {
            throw section.source.error(at: section.node.mark,
                "\(pathString(section.codingPath)): missing 'kind'; known \(category.rawValue) kinds: \(kinds(category).joined(separator: ", "))")
        }
        guard let entry = entries[category]?[kind] else {
            var message = "unknown \(category.rawValue) kind '\(kind)'; known: \(kinds(category).joined(separator: ", "))"
            if let s = nearest(kind, in: kinds(category)) { message += "; did you mean '\(s)'?" }
            let mark: Node? = {
                if case let .mapping(m) = section.node { return m["kind"] }
                return nil
            }()
            throw section.source.error(at: mark?.mark ?? section.node.mark, message)
        }
        let built = try entry.make(section, context)
        guard let typed = built as? T else {
            throw section.source.error(at: section.node.mark,
                "\(category.rawValue) '\(kind)' cannot be used here (expected \(T.self))")
        }
        return typed
    }
}

import Yams
