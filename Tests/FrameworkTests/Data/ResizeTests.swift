import Testing
@testable import Framework

@Suite("Area-average shrinking and bilinear growing")
struct ResizeTests {
    @Test func halvingFastPathEqualsTheGeneralPathBitForBit() throws {
        var rng = RandomGenerator(seed: 3)
        let img = Image(channels: 3, height: 10, width: 14, pixels: (0..<420).map { _ in rng.uniform() * 10 - 5 })
        let fast = try Resize.apply(img, height: 5, width: 7)
        #expect(fast.pixels == Resize.separable(img, height: 5, width: 7).pixels)
        #expect(fast.height == 5 && fast.width == 7 && fast.channels == 3)
    }

    @Test func shrink4x4To2x2GivesBlockMeans() throws {
        var img = Image(channels: 2, height: 4, width: 4)
        for i in 0..<16 { img.pixels[i] = Float(i); img.pixels[16 + i] = Float(i * i) }
        let out = try Resize.apply(img, height: 2, width: 2)
        #expect(out.shape == [2, 2, 2])
        for ch in 0..<2 {
            for by in 0..<2 { for bx in 0..<2 {
                var sum: Float = 0
                for y in 0..<2 { for x in 0..<2 { sum += img[ch, 2 * by + y, 2 * bx + x] } }
                #expect(out[ch, by, bx] == sum / 4, "channel \(ch) block (\(by), \(bx))")
            } }
        }
    }

    @Test func shrinkByNonIntegerFactorWeighsPartialPixels() throws {
        // 3 → 2 pixels: output 0 covers [0, 1.5): a0 + ½·a1 over 1.5; output 1 covers [1.5, 3).
        let img = Image(channels: 1, height: 1, width: 3, pixels: [3, 6, 12])
        let out = try Resize.apply(img, height: 1, width: 2)
        #expect(abs(out.pixels[0] - (3 + 0.5 * 6) / 1.5) < 1e-6)
        #expect(abs(out.pixels[1] - (0.5 * 6 + 12) / 1.5) < 1e-6)
        // Area averaging keeps the mean.
        let big = Image(channels: 1, height: 7, width: 5, pixels: (0..<35).map { Float(($0 * 37) % 11) })
        let small = try Resize.apply(big, height: 3, width: 2)
        let mean = { (i: Image) in i.pixels.reduce(0, +) / Float(i.pixels.count) }
        #expect(abs(mean(small) - mean(big)) < 1e-4)
    }

    @Test func growUsesHalfPixelBilinear() throws {
        // 2 → 4: centres at source −0.25, 0.25, 0.75, 1.25 → clamped 0, 0.25, 0.75, 1.
        let img = Image(channels: 1, height: 1, width: 2, pixels: [0, 4])
        let out = try Resize.apply(img, height: 1, width: 4)
        #expect(out.pixels == [0, 1, 3, 4])
        // 2-D: 2×2 → 4×4, the inner 2×2 is the bilinear mix at quarter offsets.
        let sq = Image(channels: 1, height: 2, width: 2, pixels: [0, 4, 8, 12])
        let g = try Resize.apply(sq, height: 4, width: 4)
        #expect(g[0, 0, 0] == 0 && g[0, 3, 3] == 12)
        // (¾·¾)·0 + (¾·¼)·4 + (¼·¾)·8 + (¼·¼)·12 = 3 and (¾·¼)·0 + (¾·¾)·4 + (¼·¼)·8 + (¼·¾)·12 = 5.
        #expect(g[0, 1, 1] == 3)
        #expect(g[0, 1, 2] == 5)
    }

    @Test func mixedAxesAndIdentity() throws {
        let img = Image(channels: 1, height: 2, width: 4, pixels: [1, 3, 5, 7, 2, 2, 2, 2])
        #expect(try Resize.apply(img, height: 2, width: 4) == img)
        let out = try Resize.apply(img, height: 4, width: 2)  // rows grow, columns shrink
        #expect(out.pixels == [2, 6, 2, 5, 2, 3, 2, 2])
        #expect(throws: TensorError.self) { try Resize.apply(img, height: 0, width: 2) }
    }
}
