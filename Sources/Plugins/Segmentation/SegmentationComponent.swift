import Framework

/// The registry entry for `task: {kind: segmentation}`.
public enum SegmentationComponent: TaskComponent {
    public static let kind = "segmentation"
    public static let summary = "Pixel masks of bars, spiral arms or any catalog mask: a U-Net on any backbone, or zoobot-3d's residual U-Net"

    public struct Options: ComponentOptions {
        /// Masks to predict (catalog `<name>_mask_loc` columns or simulator masks), one
        /// output channel each; binary or soft targets.
        public var masks = ["bar", "spiral"]
        public var loss: MaskLoss = .diceBCE
        /// Loss weight per mask, in `masks` order (default 1 each).
        public var classWeights: [Float]?
        /// Per mask, the mask scored as binary truth (thresholded at 0.5) on the test split;
        /// default: the trained mask itself.
        public var truth: [String]?
        /// Per mask, the soft truth for soft Dice and calibration (e.g. `bar_fraction`);
        /// default: the trained mask itself.
        public var softTruth: [String]?
        /// Probability thresholds of IoU and Dice.
        public var thresholds: [Double] = [0.3, 0.5]
        /// Test-time augmentation over rotations (c4) or rotations and flips (d4); masks are
        /// inverse-transformed before averaging.
        public var tta: TestTimeAugmentation.Group?
        /// Test galaxies shown in the overlay gallery.
        public var gallery = 8
        /// Write `masks/<id_str>_<mask>.png` for every test galaxy.
        public var saveMasks = true

        public init() {}

        enum CodingKeys: String, CodingKey {
            case masks, loss, classWeights = "class_weights", truth, softTruth = "soft_truth", thresholds, tta,
                 gallery, saveMasks = "save_masks"
        }

        public func validate() throws {
            if masks.isEmpty { throw ConfigError(file: "task", message: "masks: name at least one mask (e.g. [bar, spiral])") }
            if Set(masks).count != masks.count { throw ConfigError(file: "task", message: "masks: \(masks) names a mask twice") }
            if let w = classWeights, w.count != masks.count || w.contains(where: { !($0 >= 0) || !$0.isFinite }) {
                throw ConfigError(file: "task", message: "class_weights: needs \(masks.count) finite weights ≥ 0, one per mask in \(masks); got \(w)")
            }
            for (key, list) in [("truth", truth), ("soft_truth", softTruth)] {
                if let list, list.count != masks.count {
                    throw ConfigError(file: "task", message: "\(key): needs one mask name per mask in \(masks); got \(list)")
                }
            }
            if thresholds.isEmpty || thresholds.contains(where: { !($0 > 0 && $0 < 1) }) {
                throw ConfigError(file: "task", message: "thresholds: needs values in (0, 1); got \(thresholds)")
            }
            if gallery < 0 { throw ConfigError(file: "task", message: "gallery: must be ≥ 0, got \(gallery)") }
        }

        /// Per class, the binary truth mask's name.
        var truthNames: [String] { truth ?? masks }
        var softTruthNames: [String] { softTruth ?? masks }
        var weights: [Float] { classWeights ?? masks.map { _ in 1 } }
    }

    public static func make(options: Options, context: ComponentContext) throws -> any ExperimentTask {
        SegmentationTask(options: options)
    }
}
