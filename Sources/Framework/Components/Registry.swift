/// The table from `kind:` strings to components. Framework defines it and registers its
/// built-ins; `Sources/Runner` adds every plugin's components — the only place that knows
/// them all. An unknown kind lists the known ones and suggests the nearest.
public final class Registry: @unchecked Sendable {
    /// A type-erased factory: options node + context → component instance.
    public struct Entry {
        public var info: ComponentInfo
        public var make: (ConfigNode, ComponentContext) throws -> Any
        /// Checks a section without building anything (`zoorun validate`'s first pass).
        public var check: (ConfigNode, ComponentContext) throws -> Void = { _, _ in }
    }

    private var entries: [ComponentInfo.Category: [String: Entry]] = [:]
    /// Top-level sections that a task decodes itself (`training:`, `augmentation:`), by key.
    private var sections: [String: (ConfigNode) throws -> Void] = [:]
    /// Top-level sections a plugin adds whose `kind:` names a component of a category
    /// (`decoder:` → `.decoder`), by key.
    private var componentSections: [String: ComponentInfo.Category] = [:]
    /// What reloads a finished run, by task kind (`RunPredictor`).
    var predictors: [String: (predictor: any RunPredictor.Type, plugin: String)] = [:]
    /// Categories in the order they were first registered, for `zoorun list`.
    private var categoryOrder: [ComponentInfo.Category] = ComponentInfo.Category.builtIn
    /// `zoorun generate`'s generators by task kind (Registry+Generators.swift).
    var generators: [String: (type: any RunGenerator.Type, plugin: String)] = [:]

    public init() {}

    /// Registers a factory under a category and kind; a kind registered twice is a
    /// programming error.
    public func add(_ category: ComponentInfo.Category, kind: String, summary: String, defaults: String,
                    plugin: String, make: @escaping (ConfigNode, ComponentContext) throws -> Any) {
        precondition(entries[category]?[kind] == nil, "Registry: \(category.rawValue) '\(kind)' is registered twice")
        if !categoryOrder.contains(category) { categoryOrder.append(category) }
        entries[category, default: [:]][kind] = Entry(
            info: ComponentInfo(category: category, kind: kind, summary: summary, defaults: defaults, plugin: plugin),
            make: make)
    }

    /// Registers a component by its options type: the section is decoded strictly into
    /// `O` (so it can be checked without building), then handed to `make`. `check` adds
    /// checks of the decoded options that need the context (files that must exist, …).
    public func add<O: ComponentOptions>(_ category: ComponentInfo.Category, kind: String, summary: String,
                                         options: O.Type, plugin: String,
                                         check: ((O, ConfigNode, ComponentContext) throws -> Void)? = nil,
                                         make: @escaping (O, ComponentContext) throws -> Any) {
        add(category, kind: kind, summary: summary, defaults: O.defaultsYAML(), plugin: plugin) { node, ctx in
            try make(node.decodeOptions(O.self), ctx)
        }
        entries[category]![kind]!.check = { node, ctx in
            let o = try node.decodeOptions(O.self)
            try check?(o, node, ctx)
        }
    }

    /// Registers a top-level section that tasks decode themselves, so the first pass of
    /// `zoorun validate` checks it too.
    public func register<O: ComponentOptions>(section key: String, options: O.Type) {
        sections[key] = { _ = try $0.decodeOptions(O.self, ignoring: []) }
    }

    /// As above for a plain `Decodable` section.
    public func register<O: Decodable>(section key: String, decoding: O.Type) {
        sections[key] = { _ = try $0.decode(O.self) }
    }

    /// Lets experiment files have a top-level section `key:` whose `kind:` names a component
    /// of `category` (a plugin's `decoder:`, `generator:`). The experiment keeps it in
    /// `config.sections[key]`; validate checks it like `backbone:`; the task builds it with
    /// `make(category, from:context:)`.
    public func register(section key: String, category: ComponentInfo.Category) {
        precondition(!ExperimentConfig.builtInKeys.contains(key) && componentSections[key] == nil && sections[key] == nil,
                     "Registry: the top-level section '\(key)' is registered twice")
        componentSections[key] = category
        if !categoryOrder.contains(category) { categoryOrder.append(category) }
    }

    /// Top-level keys plugins added beside the built-in ones.
    public var pluginSectionKeys: Set<String> {
        Set(componentSections.keys).union(sections.keys).subtracting(ExperimentConfig.builtInKeys)
    }

    /// Every category with a registered component or section, built-in ones first.
    public var categories: [ComponentInfo.Category] { categoryOrder }

    /// Every error the sections of `config` hold that can be found without building
    /// anything: unknown kinds, unknown keys, wrong types, values out of range, missing files.
    public func check(_ config: ExperimentConfig, context: ComponentContext) -> [ConfigError] {
        var errors: [ConfigError] = []
        var components: [(ComponentInfo.Category, ConfigNode?)] = [
            (.task, config.task), (.dataset, config.data), (.backbone, config.backbone), (.head, config.head),
            (.acquisition, config.acquisition),
        ]
        for (key, category) in componentSections.sorted(by: { $0.key < $1.key }) {
            components.append((category, config.sections[key]))
        }
        for case let (category, section?) in components {
            errors += ConfigErrors.collecting(at: section.source.error(at: section.node.mark, "")) {
                guard let kind = section.string("kind"), let entry = entries[category]?[kind] else {
                    _ = try make(category, from: section, context: context, as: Any.self)  // the unknown-kind error
                    return
                }
                try entry.check(section, context)
            }
        }
        var named: [String: ConfigNode?] = ["training": config.training, "augmentation": config.augmentation]
        for (key, node) in config.sections where componentSections[key] == nil { named[key] = node }
        for (key, section) in named.sorted(by: { $0.key < $1.key }) {
            guard let section, let check = sections[key] else { continue }
            errors += ConfigErrors.collecting(at: section.source.error(at: section.node.mark, "")) { try check(section) }
        }
        return errors
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
