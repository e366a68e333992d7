import Framework

extension ComponentInfo.Category {
    /// The top-level `decoder:` section of a segmentation experiment.
    public static let decoder: Self = "decoder"
}

/// A built `decoder:` section: makes the mask network once the task knows its classes and,
/// when the decoder sits on one, the backbone.
protocol MaskDecoder {
    /// Whether the network is built on the experiment's `backbone:` (false: a standalone
    /// network, and a backbone section is an error).
    var usesBackbone: Bool { get }
    func network(backbone: (any Backbone)?, context: ComponentContext, classes: Int, rng: inout RandomGenerator) throws -> any MaskNetwork
}

/// A registrable decoder: `kind`, `Options` and how the options make a `MaskDecoder`.
public protocol MaskDecoderComponent: Component {
    static func decoder(options: Options) -> Any
}

extension Registry {
    /// Registers a decoder kind for segmentation experiments' `decoder:` section.
    public func register<D: MaskDecoderComponent>(decoder: D.Type, plugin: String) {
        add(.decoder, kind: D.kind, summary: D.summary, options: D.Options.self, plugin: plugin) { o, _ in D.decoder(options: o) }
    }
}
