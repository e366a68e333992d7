/// What a component needs to know when it is built: the experiment's seed, the run folder,
/// the registry (to build nested components) and facts decided by earlier components (the
/// dataset's classes, the backbone's embedding width).
public struct ComponentContext {
    public var seed: UInt64
    public var runFolder: String?
    public var registry: Registry
    /// Free-form facts passed down the build, e.g. "classes" → ["no", "yes"].
    public var facts: [String: [String]]
    /// Input channels of images (1 or 3).
    public var inChannels: Int
    /// Width of the representation a head receives.
    public var inputWidth: Int
    /// Channels of the backbone's feature maps, one per stride in `featureStrides`, for
    /// heads and decoders that work on feature maps rather than the pooled representation.
    public var featureChannels: [Int] = []
    /// Strides of those feature maps relative to the input (4, 8, 16, 32).
    public var featureStrides: [Int] = []
    /// The folder relative paths in the config are resolved against.
    public var baseFolder: String

    public init(seed: UInt64, runFolder: String? = nil, registry: Registry, facts: [String: [String]] = [:],
                inChannels: Int = 3, inputWidth: Int = 0, baseFolder: String = ".") {
        self.seed = seed
        self.runFolder = runFolder
        self.registry = registry
        self.facts = facts
        self.inChannels = inChannels
        self.inputWidth = inputWidth
        self.baseFolder = baseFolder
    }
}

extension ComponentContext {
    /// What components built after `backbone` need to know of it: its embedding width and
    /// its feature maps' channels and strides.
    public mutating func describe(_ backbone: any Backbone) {
        inputWidth = backbone.embeddingWidth
        featureChannels = backbone.featureChannels
        featureStrides = backbone.featureStrides
    }
}
