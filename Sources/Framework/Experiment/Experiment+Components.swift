import Yams

/// Building the components every task starts from, the same way in every task.
extension Experiment {
    /// The data source of the `data:` section, and a context that knows its channels.
    /// - Parameter seed: the seed of this build (a curve of an acquisition comparison); nil
    ///   for the experiment's.
    public func makeDataSource(seed: UInt64? = nil) throws -> (source: DataSource, context: ComponentContext) {
        var context = self.context()
        if let seed { context.seed = seed }
        // `synthetic:` belongs to every data kind, so it is read here, not by the component.
        var data = config.data
        var mix: SyntheticMix?
        if case var .mapping(m) = data.node, let node = m["synthetic"] {
            mix = try ConfigNode(node: node, source: data.source, codingPath: data.codingPath + [NameKey("synthetic")]).decode(SyntheticMix.self)
            m["synthetic"] = nil
            data.node = .mapping(m)
        }
        var source: DataSource = try registry.make(.dataset, from: data, context: context)
        if let mix { source = try mix.mixed(into: source, baseFolder: context.baseFolder, seed: context.seed) }
        context.inChannels = source.channels
        return (source, context)
    }

    /// The backbone of the `backbone:` section (randomly initialised or `pretrained:`);
    /// `context` then describes it to the components built after it (embedding width,
    /// feature-map channels and strides).
    /// - Parameter task: names the task in the error when the section is missing.
    public func makeBackbone(context: inout ComponentContext, for task: String) throws -> any Backbone {
        guard let node = config.backbone else {
            throw ConfigError(file: source.file, message: "\(task) needs a `backbone:` section (e.g. kind: compact)")
        }
        let backbone: any Backbone = try registry.make(.backbone, from: node, context: context)
        context.describe(backbone)
        return backbone
    }
}
