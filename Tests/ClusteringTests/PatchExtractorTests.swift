import Foundation
import Testing
import Framework
@testable import ClusteringPlugin

@Suite struct PatchExtractorTests {
    /// A 1-band 48×48 sky of Gaussian noise (σ 0.02 on a level of 0.1) with a bright square
    /// source over rows and columns 16..<32.
    static func skyWithSource() -> Image {
        var rng = RandomGenerator(seed: 4)
        var image = Image(channels: 1, height: 48, width: 48)
        for y in 0..<48 { for x in 0..<48 {
            image[0, y, x] = 0.1 + 0.02 * rng.normal() + ((16..<32).contains(y) && (16..<32).contains(x) ? 0.3 : 0)
        } }
        return image
    }

    @Test func keepsTheSourceAndRejectsTheSky() throws {
        var o = PatchExtractor.Options()
        o.size = 8; o.stride = 8; o.minSNR = 5
        let image = Self.skyWithSource()
        let sky = PatchExtractor.skyStatistics(image, bands: [0])[0]
        #expect(abs(sky.level - 0.1) < 0.005 && abs(sky.sigma - 0.02) < 0.003, "sky \(sky)")
        let kept = try PatchExtractor(options: o).patches(of: image)
        // A 6×6 grid; exactly the four windows on the source stand out.
        #expect(PatchExtractor(options: o).grid(height: 48, width: 48).count == 36)
        #expect(Set(kept.map { "\($0.y),\($0.x)" }) == ["16,16", "16,24", "24,16", "24,24"])
        // Kept pixels are sky-subtracted.
        let mean = kept[0].pixels.reduce(0, +) / Float(kept[0].pixels.count)
        #expect(abs(mean - 0.3) < 0.02)
        o.minSNR = 0
        #expect(try PatchExtractor(options: o).patches(of: image).count == 36)
    }

    /// A display stretch that clips the sky at 0 (as the simulator's PNGs: half the sky is
    /// exactly 0) makes the median and MAD useless; the sky must still be measured and rejected.
    @Test(arguments: [0.095, 0.1, 0.105] as [Float])
    func rejectsAClippedSky(_ clip: Float) throws {
        var image = Self.skyWithSource()
        for i in image.pixels.indices { image.pixels[i] = max(0, image.pixels[i] - clip) }
        let sky = PatchExtractor.skyStatistics(image, bands: [0])[0]
        #expect(sky.sigma > 0.005, "sky \(sky)")
        var o = PatchExtractor.Options()
        o.size = 8; o.stride = 8; o.minSNR = 5
        #expect(Set(try PatchExtractor(options: o).patches(of: image).map { "\($0.y),\($0.x)" }) == ["16,16", "16,24", "24,16", "24,24"])
    }

    @Test func namesAMissingBand() throws {
        var o = PatchExtractor.Options()
        o.bands = [0, 3]
        #expect(throws: TensorError.self) { try PatchExtractor(options: o).patches(of: Self.skyWithSource()) }
    }

    @Test func powerSpectrumFeaturesArePerBandLogSpectra() throws {
        var o = PatchExtractor.Options()
        o.size = 8; o.stride = 8; o.minSNR = 5
        let features = try PatchFeatures(options: PatchFeatures.Options(), patch: o, backbone: nil)
        let g = try features.galaxy(Self.skyWithSource())
        #expect(g.features.rows == 4 && g.features.cols == 5)
        let patch = try PatchExtractor(options: o).patches(of: Self.skyWithSource())[0]
        let expected = RadialPowerSpectrum(size: 8)(patch.pixels).map { Float(log10($0)) }
        for (a, b) in zip(g.features.row(0), expected) { #expect(abs(a - b) < 1e-5) }
    }

    @Test func pixelAndBackboneFeatures() throws {
        var o = PatchExtractor.Options()
        o.size = 8; o.stride = 8; o.minSNR = 5
        var f = PatchFeatures.Options()
        f.kind = .pixels
        let image = Self.skyWithSource()
        let pixels = try PatchFeatures(options: f, patch: o, backbone: nil).galaxy(image)
        #expect(pixels.features.rows == 4 && pixels.features.cols == 64)
        // A backbone's stride-8 map: one row per kept 8-px window, its channels as features.
        var rng = RandomGenerator(seed: 1)
        let backbone = ResNet.compact(inChannels: 1, rng: &rng)
        f.kind = .backbone
        f.stride = 8
        let mapped = try PatchFeatures(options: f, patch: o, backbone: backbone).galaxy(image)
        let level = backbone.featureStrides.firstIndex(of: 8)!
        #expect(mapped.features.rows == 4 && mapped.features.cols == backbone.featureChannels[level])
        #expect(mapped.corners.map { "\($0.y),\($0.x)" } == ["16,16", "16,24", "24,16", "24,24"])
        f.stride = 5
        #expect(throws: ConfigError.self) { try PatchFeatures(options: f, patch: o, backbone: backbone) }
    }
}
