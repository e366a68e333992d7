import Framework

/// `decoder: {kind: unet}` — `UNetDecoder` on the experiment's backbone (the default).
public enum UNetDecoderComponent: MaskDecoderComponent {
    public static let kind = "unet"
    public static let summary = "U-Net decoder on the backbone's feature maps (skips from every level, upsampled to the input)"

    public struct Options: ComponentOptions {
        /// Decoder channels per feature map, shallowest first (default: each map's channels,
        /// at most 128).
        public var widths: [Int]?
        public init() {}
    }

    struct Decoder: MaskDecoder {
        let options: Options
        var usesBackbone: Bool { true }
        func network(backbone: (any Backbone)?, context: ComponentContext, classes: Int, rng: inout RandomGenerator) throws -> any MaskNetwork {
            guard let backbone else {
                throw ConfigError(file: "decoder", message: "decoder kind 'unet' sits on a backbone; add a `backbone:` section (e.g. kind: compact) or use decoder kind 'residual-unet'")
            }
            return try BackboneUNet(backbone: backbone, context: context, classes: classes, widths: options.widths, rng: &rng)
        }
    }

    public static func decoder(options: Options) -> Any { Decoder(options: options) }
}
