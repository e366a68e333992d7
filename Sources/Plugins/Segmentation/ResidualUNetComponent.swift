import Framework

/// `decoder: {kind: residual-unet}` — zoobot-3d's standalone U-Net; no `backbone:`.
public enum ResidualUNetComponent: MaskDecoderComponent {
    public static let kind = "residual-unet"
    public static let summary = "zoobot-3d's standalone U-Net of residual blocks (32 filters × 1, 2, 4, 8; dropout 0.3 on the two deepest levels)"

    public struct Options: ComponentOptions {
        /// Width of the first level (zoobot-3d: 32).
        public var baseFilters = 32
        /// Width multipliers of the levels (zoobot-3d: 1, 2, 4, 8).
        public var multipliers = [1, 2, 4, 8]
        /// Dropout per level (zoobot-3d: on the two deepest, 0.3).
        public var dropout: [Float] = [0, 0, 0.3, 0.3]

        public init() {}

        enum CodingKeys: String, CodingKey { case baseFilters = "base_filters", multipliers, dropout }

        public func validate() throws {
            if baseFilters < 1 { throw ConfigError(file: "decoder", message: "base_filters must be ≥ 1, got \(baseFilters)") }
            if multipliers.count < 2 || multipliers.contains(where: { $0 < 1 }) {
                throw ConfigError(file: "decoder", message: "multipliers needs at least two values ≥ 1, got \(multipliers)")
            }
            if dropout.count != multipliers.count || dropout.contains(where: { !($0 >= 0 && $0 < 1) }) {
                throw ConfigError(file: "decoder", message: "dropout needs one probability in [0, 1) per level (\(multipliers.count) levels), got \(dropout)")
            }
        }
    }

    struct Decoder: MaskDecoder {
        let options: Options
        var usesBackbone: Bool { false }
        func network(backbone: (any Backbone)?, context: ComponentContext, classes: Int, rng: inout RandomGenerator) throws -> any MaskNetwork {
            try ResidualUNet(inChannels: context.inChannels, classes: classes, baseFilters: options.baseFilters,
                             multipliers: options.multipliers, dropout: options.dropout, rng: &rng)
        }
    }

    public static func decoder(options: Options) -> Any { Decoder(options: options) }
}
