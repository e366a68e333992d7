import Framework

/// The `decoder:` of a segmentation task: a U-Net decoder on the experiment's backbone, or
/// zoobot-3d's standalone residual U-Net (which has its own encoder, so no `backbone:`).
public struct DecoderOptions: Codable, Sendable, Equatable {
    public enum Kind: String, ConfigEnum, Codable, Sendable {
        /// `UNetDecoder` on the `backbone:` section's feature maps.
        case unet
        /// zoobot-3d's U-Net of residual blocks.
        case residualUNet = "residual-unet"
    }

    public var kind: Kind = .unet
    /// unet: decoder channels per feature map, shallowest first (default: each map's
    /// channels, at most 128).
    public var widths: [Int]?
    /// residual-unet: width of the first level (zoobot-3d: 32).
    public var baseFilters = 32
    /// residual-unet: width multipliers of the levels (zoobot-3d: 1, 2, 4, 8).
    public var multipliers = [1, 2, 4, 8]
    /// residual-unet: dropout per level (zoobot-3d: on the two deepest, 0.3).
    public var dropout: [Float] = [0, 0, 0.3, 0.3]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case kind, widths, baseFilters = "base_filters", multipliers, dropout
    }
}
