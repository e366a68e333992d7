import Foundation
import Framework

/// Cuts a galaxy image into square patches on a grid and keeps those that stand out from
/// the sky: the first step of the patch pipeline (Hocking et al. 2018; Martin et al. 2020).
///
/// Each band's sky level and noise come from the image's border, robustly (sigma-clipped
/// statistics, which a star on the border barely moves). A patch's signal-to-noise ratio is its
/// summed sky-subtracted flux over all chosen bands divided by σ√(pixels) of that sum; patches
/// below `minSNR` are background and are dropped.
public struct PatchExtractor: Sendable {
    public struct Options: Codable, Sendable, Equatable {
        /// Patch side in pixels.
        public var size = 8
        /// Step between patch corners.
        public var stride = 4
        /// Band (channel) indices to use; nil for every band.
        public var bands: [Int]?
        /// Keep patches with at least this signal-to-noise ratio (0 keeps every patch).
        public var minSNR: Double = 5

        public init() {}

        enum CodingKeys: String, CodingKey { case size, stride, bands, minSNR = "min_snr" }

        public func validate(_ section: String) throws {
            if size < 2 { throw ConfigError(file: section, message: "patch.size must be ≥ 2") }
            if stride < 1 { throw ConfigError(file: section, message: "patch.stride must be ≥ 1") }
            if let b = bands, b.isEmpty || b.contains(where: { $0 < 0 }) {
                throw ConfigError(file: section, message: "patch.bands must list band indices ≥ 0")
            }
        }
    }

    /// One patch: its top-left corner and its pixels, band after band (bands × size × size).
    public struct Patch: Sendable {
        public var y: Int
        public var x: Int
        public var pixels: [Float]
        public var snr: Double
    }

    public let options: Options

    public init(options: Options) { self.options = options }

    /// Bands this extractor reads from an image of `channels` bands.
    public func bands(channels: Int) throws -> [Int] {
        let b = options.bands ?? Array(0..<channels)
        if let bad = b.first(where: { $0 >= channels }) {
            throw TensorError.invalidArgument(op: "patch extraction", message: "band \(bad) asked for, but the images have \(channels) bands")
        }
        return b
    }

    /// Width of the image border the sky is measured on.
    public static let skyBorder = 4

    /// Sky level and σ of each band from the pixels of the image's border (galaxies sit in
    /// the middle): 3σ-clipped mean and standard deviation, started from the median and
    /// 1.4826 × MAD. When a fifth or more of the border sits at its minimum (a display stretch
    /// that clips the sky at 0), the plain moments of all but the brightest 2 %.
    /// The mean, not the median, is the level, because stretched sky noise is skewed and a
    /// median offset would add up over a patch.
    public static func skyStatistics(_ image: Image, bands: [Int]) -> [(level: Float, sigma: Float)] {
        let h = image.height, w = image.width, b = min(skyBorder, max(1, min(h, w) / 4))
        return bands.map { c in
            var v: [Float] = []
            for y in 0..<h { for x in 0..<w where y < b || y >= h - b || x < b || x >= w - b { v.append(image[c, y, x]) } }
            v.sort()
            func meanStd(_ a: [Float]) -> (Double, Double) {
                let m = a.reduce(0.0) { $0 + Double($1) } / Double(a.count)
                let sd = (a.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(max(1, a.count - 1))).squareRoot()
                return (m, sd)
            }
            var level = Double(v[v.count / 2])
            var sigma = 1.4826 * Double(v.map { abs($0 - v[v.count / 2]) }.sorted()[v.count / 2])
            // A sky clipped at its minimum (≥ 20 % of the border there): the median and MAD
            // describe the clip, not the noise, and σ-clipping its skewed tail would drag the
            // level down, so take the plain moments without the brightest 2 % (stars).
            if sigma <= 0 || v.prefix { $0 == v[0] }.count * 5 >= v.count {
                let (m, sd) = meanStd(Array(v.prefix(max(2, v.count * 98 / 100))))
                return (Float(m), Float(sd))
            }
            for _ in 0..<5 {
                let kept = v.filter { abs(Double($0) - level) <= 3 * sigma }
                guard kept.count >= 2 else { break }
                let (m, sd) = meanStd(kept)
                if abs(m - level) < 1e-9 && abs(sd - sigma) < 1e-9 { break }
                (level, sigma) = (m, sd)
            }
            return (Float(level), Float(sigma))
        }
    }

    /// Grid positions (top-left corners) of an h×w image.
    public func grid(height: Int, width: Int) -> [(y: Int, x: Int)] {
        let s = options.size
        guard height >= s, width >= s else { return [] }
        return stride(from: 0, through: height - s, by: options.stride).flatMap { y in
            stride(from: 0, through: width - s, by: options.stride).map { (y, $0) }
        }
    }

    /// The signal-to-noise ratio of the s×s window at (y, x).
    static func snr(_ image: Image, y: Int, x: Int, size s: Int, bands: [Int], sky: [(level: Float, sigma: Float)]) -> Double {
        var signal = 0.0, variance = 0.0
        for (b, c) in bands.enumerated() {
            for yy in y..<(y + s) {
                for xx in x..<(x + s) { signal += Double(image[c, yy, xx] - sky[b].level) }
            }
            variance += Double(s * s) * Double(sky[b].sigma * sky[b].sigma)
        }
        // A noiseless sky (σ = 0) makes any flux infinitely significant and none insignificant.
        if variance <= 0 { return signal > 0 ? .infinity : 0 }
        return signal / variance.squareRoot()
    }

    /// The patches of `image` at or above the S/N threshold, sky-subtracted.
    public func patches(of image: Image) throws -> [Patch] {
        let b = try bands(channels: image.channels)
        let sky = Self.skyStatistics(image, bands: b)
        let s = options.size
        return grid(height: image.height, width: image.width).compactMap { (y, x) in
            let r = Self.snr(image, y: y, x: x, size: s, bands: b, sky: sky)
            guard options.minSNR <= 0 || r >= options.minSNR else { return nil }
            var px = [Float]()
            px.reserveCapacity(b.count * s * s)
            for (i, c) in b.enumerated() {
                for yy in y..<(y + s) { for xx in x..<(x + s) { px.append(image[c, yy, xx] - sky[i].level) } }
            }
            return Patch(y: y, x: x, pixels: px, snr: r)
        }
    }
}
