import ArgumentParser
import Framework

/// `zoorun list`: every registered component with its options and defaults.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List tasks, datasets, backbones, heads and acquisition functions with their options and defaults.",
        discussion: "Use a component in YAML by its kind, e.g.\n  head:\n    kind: linear-classifier\n    dropout: 0.2"
    )

    @Argument(help: "Only this category: task, dataset, backbone, head, acquisition, or one a plugin adds.")
    var category: String?

    func run() throws {
        let registry = makeRegistry()
        var categories = registry.categories
        if let category {
            let c = ComponentInfo.Category(rawValue: category)
            guard categories.contains(c) else {
                throw ValidationError("unknown category '\(category)'; choose one of: \(categories.map(\.rawValue).joined(separator: ", "))")
            }
            categories = [c]
        }
        for c in categories {
            let infos = registry.infos(c)
            print("\(c.rawValue)s (\(infos.count)):")
            for info in infos {
                print("  \(info.kind)  [\(info.plugin)]  \(info.summary)")
                for line in info.defaults.split(separator: "\n") { print("      \(line)") }
            }
            print("")
        }
    }
}
