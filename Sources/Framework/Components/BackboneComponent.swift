/// A backbone plugin: `kind:` + options → a `Backbone` (randomly initialised or loaded from
/// `pretrained:` weights).
public protocol BackboneComponent: Component {
    static func make(options: Options, context: ComponentContext) throws -> any Backbone
}

extension Registry {
    /// Registers a backbone.
    public func register<B: BackboneComponent>(backbone: B.Type, plugin: String) {
        add(.backbone, kind: B.kind, summary: B.summary, options: B.Options.self, plugin: plugin) {
            try B.make(options: $0, context: $1)
        }
    }
}
