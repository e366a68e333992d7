/// A backbone plugin: `kind:` + options → a `Backbone` (randomly initialised or loaded from
/// `pretrained:` weights).
public protocol BackboneComponent: Component {
    static func make(options: Options, context: ComponentContext) throws -> any Backbone
}

extension Registry {
    /// Registers a backbone.
    public func register<B: BackboneComponent>(backbone: B.Type, plugin: String) {
        add(.backbone, kind: B.kind, summary: B.summary, defaults: B.Options.defaultsYAML(), plugin: plugin) { node, ctx in
            try B.make(options: node.decodeOptions(B.Options.self), context: ctx)
        }
    }
}
