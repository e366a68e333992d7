/// A pluggable piece of an experiment, chosen in YAML by its `kind:`.
///
/// Authors write generic components (`static let kind`, an `Options` type); the registry
/// stores them type-erased. Each category adds its own factory method in a refining protocol
/// (`HeadComponent`, `BackboneComponent`, …).
public protocol Component {
    associatedtype Options: ComponentOptions
    /// The name used in YAML (`kind: linear-classifier`).
    static var kind: String { get }
    /// One line for `zoorun list`.
    static var summary: String { get }
}
