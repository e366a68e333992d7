import Framework

/// The registry entry for `task: {kind: gan}`.
public enum GANComponent: TaskComponent {
    public static let kind = "gan"
    public static let summary = "DCGAN (optionally class-conditional, spectrally normalised) that synthesises galaxies; FID/KID/precision/recall on encoder features"

    /// Which stabiliser the discriminator uses.
    public enum Stabiliser: String, Codable, Sendable, CaseIterable {
        case none
        /// Spectral normalisation of every discriminator weight (BatchNorm left out).
        case spectralNorm = "spectral_norm"
    }

    public struct Options: ComponentOptions {
        /// Latent dimensions (DCGAN: 100).
        public var latent = 100
        /// Generator width at the last upsampling (DCGAN's ngf: 64).
        public var generatorWidth = 64
        /// Discriminator width at the first convolution (DCGAN's ndf: 64).
        public var discriminatorWidth = 64
        /// Adam for both players (DCGAN: 2e-4, β1 0.5, β2 0.999).
        public var generatorLR: Float = 2e-4
        public var discriminatorLR: Float = 2e-4
        public var beta1: Float = 0.5
        public var beta2: Float = 0.999
        public var stabiliser: Stabiliser = .none
        /// Label column with class indices for a class-conditional GAN (nil: unconditional).
        public var classLabel: String?
        /// Number of classes of `class_label` (values 0..<classes).
        public var classes = 2
        /// Width of the generator's class embedding.
        public var embeddingWidth = 32
        /// Train only on galaxies whose `class_label` is this class (e.g. the rare class).
        public var onlyClass: Int?
        /// Fixed-latent samples drawn into each epoch's grid (and used for the collapse check).
        public var gridSamples = 64
        /// Warn when the samples' feature diversity falls below this fraction of the real data's.
        public var collapseThreshold = 0.5
        /// Generated images scored against held-out real ones (0: every held-out image).
        public var qualitySamples = 0
        /// k of the k-NN manifolds of precision/recall (Kynkäänniemi et al. use 3).
        public var precisionRecallK = 3

        public init() {}

        enum CodingKeys: String, CodingKey {
            case latent, stabiliser, classes, beta1, beta2
            case generatorWidth = "generator_width", discriminatorWidth = "discriminator_width"
            case generatorLR = "generator_lr", discriminatorLR = "discriminator_lr"
            case classLabel = "class_label", embeddingWidth = "embedding_width", onlyClass = "only_class"
            case gridSamples = "grid_samples", collapseThreshold = "collapse_threshold"
            case qualitySamples = "quality_samples", precisionRecallK = "precision_recall_k"
        }

        public func validate() throws {
            func fail(_ m: String) -> ConfigError { ConfigError(file: "task", message: m) }
            if latent < 1 { throw fail("latent must be ≥ 1") }
            if generatorWidth < 1 || discriminatorWidth < 1 { throw fail("generator_width and discriminator_width must be ≥ 1") }
            if !(generatorLR > 0) || !(discriminatorLR > 0) { throw fail("generator_lr and discriminator_lr must be > 0") }
            if !(0..<1).contains(beta1) || !(0..<1).contains(beta2) { throw fail("beta1 and beta2 must be in [0, 1)") }
            if classLabel != nil, classes < 2 { throw fail("classes must be ≥ 2 for a conditional GAN") }
            if embeddingWidth < 1 { throw fail("embedding_width must be ≥ 1") }
            if let c = onlyClass, classLabel == nil || !(0..<classes).contains(c) {
                throw fail("only_class \(c) needs class_label and a class in 0..<\(classes)")
            }
            if gridSamples < 2 { throw fail("grid_samples must be ≥ 2") }
            if !(0...1).contains(collapseThreshold) { throw fail("collapse_threshold must be in [0, 1]") }
            if qualitySamples < 0 { throw fail("quality_samples must be ≥ 0") }
            if precisionRecallK < 1 { throw fail("precision_recall_k must be ≥ 1") }
        }

        /// Conditional on `class_label`, unless training on one class only.
        var conditional: Bool { classLabel != nil && onlyClass == nil }
    }

    public static func make(options: Options, context: ComponentContext) throws -> any ExperimentTask {
        GANTask(options: options)
    }
}
