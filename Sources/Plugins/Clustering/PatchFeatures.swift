import Foundation
import Framework

/// Describes each patch of a galaxy by a feature vector: its radially averaged power
/// spectrum per band (log10), its raw pixels (reduced later by PCA), or a backbone's
/// feature map at a chosen stride (one vector per map position; the patch is the
/// stride×stride window it sits over).
public struct PatchFeatures {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case powerSpectrum = "power-spectrum", pixels, backbone
    }

    public struct Options: Codable, Sendable, Equatable {
        public var kind: Kind = .powerSpectrum
        /// `backbone`: the feature map's stride (one of the backbone's strides); it is also
        /// the patch size and grid step.
        public var stride = 8

        public init() {}

        public func validate(_ section: String) throws {
            if stride < 1 { throw ConfigError(file: section, message: "features.stride must be ≥ 1") }
        }
    }

    /// One galaxy's kept patches: a feature row and the window (corner, side) of each.
    public struct GalaxyPatches: Sendable {
        public var features: FeatureMatrix
        public var corners: [(y: Int, x: Int)]
        public var size: Int
    }

    public let options: Options
    public let extractor: PatchExtractor
    let spectrum: RadialPowerSpectrum
    let backbone: (any Backbone)?
    let level: Int

    public init(options: Options, patch: PatchExtractor.Options, backbone: (any Backbone)?) throws {
        self.options = options
        var p = patch
        var level = 0
        if options.kind == .backbone {
            guard let backbone else {
                throw ConfigError(file: "task", message: "features.kind: backbone needs a `backbone:` section")
            }
            guard let l = backbone.featureStrides.firstIndex(of: options.stride) else {
                throw ConfigError(file: "task", message: "features.stride \(options.stride) is not one of the backbone's feature strides \(backbone.featureStrides)")
            }
            level = l
            p.size = options.stride
            p.stride = options.stride
            backbone.eval()
        }
        extractor = PatchExtractor(options: p)
        spectrum = RadialPowerSpectrum(size: p.size)
        self.backbone = options.kind == .backbone ? backbone : nil
        self.level = level
    }

    /// The feature vector of one patch's pixels (bands × size × size).
    public func describe(_ pixels: [Float], bands: Int) -> [Float] {
        switch options.kind {
        case .pixels, .backbone:
            return pixels
        case .powerSpectrum:
            let s = extractor.options.size, plane = s * s
            // log10 keeps the dynamic range of the spectrum usable; the floor avoids log(0).
            return (0..<bands).flatMap { b in
                spectrum(Array(pixels[(b * plane)..<((b + 1) * plane)])).map { Float(log10(max($0, 1e-12))) }
            }
        }
    }

    /// The raw features (before standardisation) of every kept patch of `image`.
    public func galaxy(_ image: Image) throws -> GalaxyPatches {
        let patches = try extractor.patches(of: image)
        let s = extractor.options.size
        let corners = patches.map { (y: $0.y, x: $0.x) }
        if let backbone {
            let maps = try GradMode.withoutGrad { try backbone.features(image.tensor().reshaped([1, image.channels, image.height, image.width])) }
            let map = maps[level]
            let c = map.shape[1], h = map.shape[2], w = map.shape[3]
            var rows = [Float]()
            rows.reserveCapacity(patches.count * c)
            for p in patches {
                let (i, j) = (min(p.y / s, h - 1), min(p.x / s, w - 1))
                for ch in 0..<c { rows.append(map.storage[(ch * h + i) * w + j]) }
            }
            return GalaxyPatches(features: FeatureMatrix(rows: patches.count, cols: c, values: rows), corners: corners, size: s)
        }
        let bands = try extractor.bands(channels: image.channels).count
        var rows = [Float]()
        var width = 0
        for p in patches {
            let f = describe(p.pixels, bands: bands)
            width = f.count
            rows += f
        }
        return GalaxyPatches(features: FeatureMatrix(rows: patches.count, cols: width, values: rows), corners: corners, size: s)
    }
}
