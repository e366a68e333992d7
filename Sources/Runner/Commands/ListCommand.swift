import ArgumentParser
import Framework

/// `zoorun list`: every registered component with its options and defaults.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List tasks, datasets, backbones, heads and acquisition functions with their options and defaults.",
        discussion: "Use a component in YAML by its kind, e.g.\n  head:\n    kind: linear-classifier\n    dropout: 0.2"
    )

    @Argument(help: "Only this category: task, dataset, backbone, head or acquisition.")
    var category: String?

    func run() throws {
        let registry = makeRegistry()
        var categories = ComponentInfo.Category.allCases
        if let category {
            guard let c = ComponentInfo.Category(rawValue: category) else {
                throw ValidationError("unknown category '\(category)'; choose one of: \(ComponentInfo.Category.allCases.map(\.rawValue).joined(separator: ", "))")
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
