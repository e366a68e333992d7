import Framework

/// The registry entry for `task: {kind: detection}`: Faster R-CNN on any registered backbone.
public enum DetectionComponent: TaskComponent {
    public static let kind = "detection"
    public static let summary = "Faster R-CNN (torchvision semantics) on any backbone: star-forming clumps, AP50 / COCO AP, completeness and purity"

    /// The detector's YAML keys (docs/detection.md describes each and how the defaults were chosen).
    public struct Options: ComponentOptions, Equatable {
        /// Foreground classes; box labels run 1…classes (0 is background).
        public var classes = 1
        /// Anchor sizes per feature level, in pixels of the catalog image (before `upsample`).
        public var anchorSizes: [[Float]] = [[5, 8]]
        /// Anchor aspect ratios, height / width.
        public var aspectRatios: [Float] = [1]
        /// Backbone strides the detector reads: one map, or several with `fpn: true`.
        public var featureStrides: [Int] = [4]
        /// A feature pyramid over `feature_strides`.
        public var fpn = false
        public var fpnChannels = 64
        /// Input upsampling factor (bilinear) before the backbone; boxes scale with it.
        public var upsample = 2
        public var rpnPreNMSTopN: [Int] = [600, 300]
        public var rpnPostNMSTopN: [Int] = [300, 150]
        public var rpnNMSThreshold: Float = 0.7
        public var rpnBatchSizePerImage = 256
        public var rpnPositiveFraction: Float = 0.5
        public var roiBatchSizePerImage = 128
        public var roiPositiveFraction: Float = 0.25
        public var poolSize = 7
        public var samplingRatio = 2
        public var representation = 256
        public var boxScoreThreshold: Float = 0.05
        public var boxNMSThreshold: Float = 0.5
        public var detectionsPerImage = 100
        /// Score threshold of completeness and purity.
        public var scoreThreshold: Float = 0.5
        /// Galaxies in the overlay gallery.
        public var gallery = 16

        public init() {}

        enum CodingKeys: String, CodingKey {
            case classes, fpn, upsample, gallery, representation
            case anchorSizes = "anchor_sizes", aspectRatios = "aspect_ratios", featureStrides = "feature_strides"
            case fpnChannels = "fpn_channels"
            case rpnPreNMSTopN = "rpn_pre_nms_top_n", rpnPostNMSTopN = "rpn_post_nms_top_n", rpnNMSThreshold = "rpn_nms_threshold"
            case rpnBatchSizePerImage = "rpn_batch_size_per_image", rpnPositiveFraction = "rpn_positive_fraction"
            case roiBatchSizePerImage = "roi_batch_size_per_image", roiPositiveFraction = "roi_positive_fraction"
            case poolSize = "pool_size", samplingRatio = "sampling_ratio"
            case boxScoreThreshold = "box_score_threshold", boxNMSThreshold = "box_nms_threshold"
            case detectionsPerImage = "detections_per_image", scoreThreshold = "score_threshold"
        }

        public func validate() throws {
            func fail(_ m: String) -> ConfigError { ConfigError(file: "task", message: m) }
            if classes < 1 { throw fail("classes must be ≥ 1, found \(classes)") }
            if upsample < 1 || upsample > 8 { throw fail("upsample must be in 1…8, found \(upsample)") }
            if featureStrides.isEmpty { throw fail("feature_strides needs at least one stride") }
            if featureStrides.count > 1 && !fpn { throw fail("feature_strides \(featureStrides) names several maps: set fpn: true, or give one stride") }
            if featureStrides != featureStrides.sorted() || Set(featureStrides).count != featureStrides.count {
                throw fail("feature_strides must be ascending without repeats, found \(featureStrides)")
            }
            if anchorSizes.count != featureStrides.count {
                throw fail("anchor_sizes has \(anchorSizes.count) level(s) but feature_strides has \(featureStrides.count): give one list of sizes per map")
            }
            _ = try AnchorGenerator(sizes: anchorSizes, aspectRatios: aspectRatios)
            for (key, v) in [("rpn_pre_nms_top_n", rpnPreNMSTopN), ("rpn_post_nms_top_n", rpnPostNMSTopN)] where v.count != 2 || v.contains(where: { $0 < 1 }) {
                throw fail("\(key) must be [train, test], both ≥ 1, found \(v)")
            }
            for (key, v) in [("rpn_nms_threshold", rpnNMSThreshold), ("box_nms_threshold", boxNMSThreshold),
                             ("rpn_positive_fraction", rpnPositiveFraction), ("roi_positive_fraction", roiPositiveFraction),
                             ("box_score_threshold", boxScoreThreshold), ("score_threshold", scoreThreshold)] where !(0...1).contains(v) {
                throw fail("\(key) must be in [0, 1], found \(v)")
            }
            for (key, v) in [("rpn_batch_size_per_image", rpnBatchSizePerImage), ("roi_batch_size_per_image", roiBatchSizePerImage),
                             ("pool_size", poolSize), ("representation", representation), ("detections_per_image", detectionsPerImage),
                             ("fpn_channels", fpnChannels)] where v < 1 {
                throw fail("\(key) must be ≥ 1, found \(v)")
            }
            if gallery < 0 { throw fail("gallery must be ≥ 0, found \(gallery)") }
        }
    }

    public static func make(options: Options, context: ComponentContext) throws -> any ExperimentTask {
        DetectionTask(options: options)
    }
}
