import Foundation
import Framework

/// Anchor boxes for every location of one or more feature maps, in torchvision's layout.
///
/// Each level has its own sizes (the square root of the anchor's area, in network-input
/// pixels) and shares the aspect ratios, which are height / width. The base anchors of a level
/// are ratio-major (for each ratio, every size), centred on 0 and rounded half to even, as
/// `AnchorGenerator.generate_anchors`; they are then shifted to every location, row by row,
/// so the flattened list is location-major then anchor, the order `RPNHead`'s outputs are
/// flattened in.
public struct AnchorGenerator: Equatable, Sendable {
    /// Per level, the anchor sizes.
    public var sizes: [[Float]]
    /// Height / width of the anchors, shared by every level.
    public var aspectRatios: [Float]

    public init(sizes: [[Float]], aspectRatios: [Float]) throws {
        guard !sizes.isEmpty, sizes.allSatisfy({ !$0.isEmpty }), !aspectRatios.isEmpty else {
            throw ConfigError(file: "task", message: "anchor_sizes needs at least one size per level and aspect_ratios at least one ratio; got sizes \(sizes), ratios \(aspectRatios)")
        }
        if let bad = sizes.joined().first(where: { !($0 > 0 && $0.isFinite) }) {
            throw ConfigError(file: "task", message: "anchor_sizes must be positive, found \(bad)")
        }
        if let bad = aspectRatios.first(where: { !($0 > 0 && $0.isFinite) }) {
            throw ConfigError(file: "task", message: "aspect_ratios (height / width) must be positive, found \(bad)")
        }
        self.sizes = sizes
        self.aspectRatios = aspectRatios
    }

    /// Anchors per location at `level`.
    public func anchorsPerLocation(level: Int) -> Int { sizes[level].count * aspectRatios.count }

    /// The zero-centred anchors of a level, flat (x1, y1, x2, y2), ratio-major.
    public func baseAnchors(level: Int) -> [Float] {
        var out: [Float] = []
        for ratio in aspectRatios {
            let h = ratio.squareRoot(), w = 1 / h
            for size in sizes[level] {
                let ws = w * size, hs = h * size
                out += [-ws, -hs, ws, hs].map { ($0 / 2).rounded(.toNearestOrEven) }
            }
        }
        return out
    }

    /// Every anchor of an `imageSize` input whose feature maps have `featureSizes` (one per
    /// level), flat (x1, y1, x2, y2): level by level, each location-major then anchor. The
    /// stride of a level is the integer quotient of the image size by its map size, per axis.
    public func anchors(imageSize: (height: Int, width: Int), featureSizes: [(height: Int, width: Int)]) throws -> [Float] {
        guard featureSizes.count == sizes.count else {
            throw ConfigError(file: "task", message: "anchor_sizes has \(sizes.count) level(s) but the detector has \(featureSizes.count) feature map(s); give one list of sizes per level")
        }
        var out: [Float] = []
        for (level, f) in featureSizes.enumerated() {
            let base = baseAnchors(level: level)
            let sy = Float(imageSize.height / max(1, f.height)), sx = Float(imageSize.width / max(1, f.width))
            out.reserveCapacity(out.count + f.height * f.width * base.count)
            for y in 0..<f.height {
                for x in 0..<f.width {
                    let cx = Float(x) * sx, cy = Float(y) * sy
                    for a in stride(from: 0, to: base.count, by: 4) {
                        out += [cx + base[a], cy + base[a + 1], cx + base[a + 2], cy + base[a + 3]]
                    }
                }
            }
        }
        return out
    }
}
