/// Training-time augmentation settings, as written under `augmentation:` in an experiment.
///
/// Every key is optional. The defaults follow Zoobot: arbitrary rotation, flips, and a
/// random resized crop keeping 70–80 % of the area with aspect ratio 0.9–1.1.
///
/// ```yaml
/// augmentation:
///   rotation: true        # arbitrary angle, bilinear, fill 0
///   flips: true           # left–right and top–bottom, each with probability ½
///   rot90: true           # a random multiple of 90° (exact)
///   crop: true
///   crop_scale: [0.7, 0.8]
///   crop_ratio: [0.9, 1.1]
///   output_size: 224      # default: the input size
///   noise_std: 0
///   handedness: false     # true forbids flips: reflections swap S and Z spirals
/// ```
public struct AugmentationOptions: Codable, Equatable, Sendable, ValidatedOptions {
    /// How masks are resampled: `bilinear` keeps soft masks soft; `nearest` keeps hard
    /// masks binary.
    public enum MaskInterpolation: String, ConfigEnum, Codable, Sendable {
        case bilinear, nearest
    }

    /// Rotate by an angle drawn uniformly from [0°, 360°).
    public var rotation: Bool
    /// Mirror left–right and top–bottom, each with probability ½.
    public var flips: Bool
    /// Rotate by a random multiple of 90°.
    public var rot90: Bool
    /// Take a random resized crop.
    public var crop: Bool
    /// Bounds on the fraction of the image area the crop keeps.
    public var cropScale: [Double]
    /// Bounds on the crop's aspect ratio (width / height), sampled log-uniformly.
    public var cropRatio: [Double]
    /// Side of the square output in pixels; nil keeps the input size.
    public var outputSize: Int?
    /// Standard deviation of additive Gaussian pixel noise; 0 disables it.
    public var noiseStd: Float
    /// The target depends on spiral handedness (S vs Z), so reflections are forbidden.
    public var handedness: Bool
    /// Mask resampling.
    public var maskInterpolation: MaskInterpolation
    /// A box whose transformed area is less than this fraction inside the output is dropped.
    public var minBoxVisibility: Double

    enum CodingKeys: String, CodingKey {
        case rotation, flips, rot90, crop
        case cropScale = "crop_scale", cropRatio = "crop_ratio", outputSize = "output_size"
        case noiseStd = "noise_std", handedness
        case maskInterpolation = "mask_interpolation", minBoxVisibility = "min_box_visibility"
    }

    /// Options with Zoobot's defaults; `flips` defaults to off when `handedness` is set.
    public init(rotation: Bool = true, flips: Bool? = nil, rot90: Bool = true, crop: Bool = true,
                cropScale: [Double] = [0.7, 0.8], cropRatio: [Double] = [0.9, 1.1],
                outputSize: Int? = nil, noiseStd: Float = 0, handedness: Bool = false,
                maskInterpolation: MaskInterpolation = .bilinear, minBoxVisibility: Double = 0.25) {
        self.rotation = rotation
        self.flips = flips ?? !handedness
        self.rot90 = rot90
        self.crop = crop
        self.cropScale = cropScale
        self.cropRatio = cropRatio
        self.outputSize = outputSize
        self.noiseStd = noiseStd
        self.handedness = handedness
        self.maskInterpolation = maskInterpolation
        self.minBoxVisibility = minBoxVisibility
    }

    /// No random transform at all; only resizing to `outputSize`, if given (evaluation).
    public static func none(outputSize: Int? = nil) -> AugmentationOptions {
        AugmentationOptions(rotation: false, flips: false, rot90: false, crop: false,
                            outputSize: outputSize)
    }

    /// The same output geometry without randomness: what validation and test images get.
    public func forEvaluation() -> AugmentationOptions {
        var o = AugmentationOptions.none(outputSize: outputSize)
        o.handedness = handedness
        o.maskInterpolation = maskInterpolation
        o.minBoxVisibility = minBoxVisibility
        return o
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let handedness = try c.decodeIfPresent(Bool.self, forKey: .handedness) ?? false
        let flips = try c.decodeIfPresent(Bool.self, forKey: .flips)
        self.init(rotation: try c.decodeIfPresent(Bool.self, forKey: .rotation) ?? true,
                  flips: flips,
                  rot90: try c.decodeIfPresent(Bool.self, forKey: .rot90) ?? true,
                  crop: try c.decodeIfPresent(Bool.self, forKey: .crop) ?? true,
                  cropScale: try c.decodeIfPresent([Double].self, forKey: .cropScale) ?? [0.7, 0.8],
                  cropRatio: try c.decodeIfPresent([Double].self, forKey: .cropRatio) ?? [0.9, 1.1],
                  outputSize: try c.decodeIfPresent(Int.self, forKey: .outputSize),
                  noiseStd: try c.decodeIfPresent(Float.self, forKey: .noiseStd) ?? 0,
                  handedness: handedness,
                  maskInterpolation: try c.decodeIfPresent(MaskInterpolation.self, forKey: .maskInterpolation) ?? .bilinear,
                  minBoxVisibility: try c.decodeIfPresent(Double.self, forKey: .minBoxVisibility) ?? 0.25)
        try throwFirstProblem(under: c.codingPath)
    }

    /// Throws the first invalid setting, naming its key.
    public func validate() throws {
        if let problem = firstProblem { throw AugmentationError("augmentation: \(problem)") }
    }

    /// Every invalid setting with the key to blame.
    func problems() -> [(key: CodingKeys, message: String)] {
        var out: [(CodingKeys, String)] = []
        if handedness && flips {
            out.append((.flips, "'flips: true' cannot be combined with 'handedness: true': a reflection swaps S and Z spiral winding, so a handedness-sensitive target may only be rotated; remove 'flips' (it defaults to false with handedness) or set 'handedness: false'"))
        }
        if cropScale.count != 2 || !cropScale.allSatisfy({ $0.isFinite }) || cropScale[0] <= 0
            || cropScale[0] > cropScale[1] || cropScale[1] > 1 {
            out.append((.cropScale, "'crop_scale' must be [low, high] with 0 < low ≤ high ≤ 1, found \(cropScale)"))
        }
        if cropRatio.count != 2 || !cropRatio.allSatisfy({ $0.isFinite }) || cropRatio[0] <= 0
            || cropRatio[0] > cropRatio[1] {
            out.append((.cropRatio, "'crop_ratio' must be [low, high] with 0 < low ≤ high, found \(cropRatio)"))
        }
        if let s = outputSize, !(1...8192).contains(s) {
            out.append((.outputSize, "'output_size' must be between 1 and 8192 pixels, found \(s)"))
        }
        if !(noiseStd >= 0) || !noiseStd.isFinite {
            out.append((.noiseStd, "'noise_std' must be ≥ 0, found \(noiseStd)"))
        }
        if !(0...1).contains(minBoxVisibility) {
            out.append((.minBoxVisibility, "'min_box_visibility' must be in [0, 1], found \(minBoxVisibility)"))
        }
        return out
    }
}
