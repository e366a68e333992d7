import TestSupport
import Foundation
import Testing
@testable import Framework

/// A 1-channel image whose pixel values are given row by row.
private func image(_ rows: [[Float]]) -> Image {
    Image(channels: 1, height: rows.count, width: rows[0].count, pixels: rows.flatMap { $0 })
}

private func decodeOptions(_ yaml: String) throws -> AugmentationOptions {
    let node = try ConfigDecoder.parse(yaml, file: "aug.yaml")
    return try ConfigDecoder(source: ConfigSource(file: "aug.yaml", text: yaml)).decode(AugmentationOptions.self, from: node)
}

/// Draws with fresh seeds until `accept` holds, so a test can pick e.g. a draw with a quarter turn.
private func applyUntil(_ augmenter: Augmenter, _ example: Example,
                        _ accept: (AugmentationDraw) -> Bool) throws -> (AugmentationDraw, AugmentedExample) {
    for seed in 0..<200 as Range<UInt64> {
        var rng = RandomGenerator(seed: seed)
        let d = augmenter.draw(width: example.image.width, height: example.image.height, using: &rng)
        if accept(d) { return (d, try augmenter.apply(d, to: example, noise: &rng)) }
    }
    throw AugmentationError("no draw accepted")
}

@Suite("Augmentation")
struct AugmentationTests {
    @Test func optionsDecodeSnakeCaseWithDefaults() throws {
        let o = try decodeOptions("""
        rotation: false
        crop_scale: [0.5, 0.9]
        crop_ratio: [0.8, 1.25]
        output_size: 64
        noise_std: 0.01
        mask_interpolation: nearest
        """)
        #expect(o.rotation == false && o.flips && o.rot90 && o.crop)
        #expect(o.cropScale == [0.5, 0.9] && o.cropRatio == [0.8, 1.25])
        #expect(o.outputSize == 64 && o.noiseStd == 0.01 && o.maskInterpolation == .nearest)
        #expect(o.handedness == false && o.minBoxVisibility == 0.25)
        let defaults = try decodeOptions("handedness: false")
        #expect(defaults == AugmentationOptions())
        #expect(defaults.cropScale == [0.7, 0.8] && defaults.cropRatio == [0.9, 1.1] && defaults.outputSize == nil)
    }

    @Test func evaluationKeepsOnlyTheOutputSize() throws {
        let eval = AugmentationOptions(outputSize: 8, noiseStd: 0.3, handedness: true).forEvaluation()
        #expect(eval == AugmentationOptions(rotation: false, flips: false, rot90: false, crop: false,
                                            outputSize: 8, handedness: true))
        let ex = try SyntheticDataset(count: 1).example(at: 0)
        var r1 = RandomGenerator(seed: 1), r2 = RandomGenerator(seed: 2)
        let a = try Augmenter(eval).apply(to: ex, using: &r1).example.image
        let b = try Augmenter(eval).apply(to: ex, using: &r2).example.image
        #expect(a == b && a.width == 8 && a.height == 8)
    }

    @Test func handednessRefusesFlips() throws {
        #expect { try decodeOptions("handedness: true\nflips: true\n") } throws: { e in
            let text = "\(e)"
            return text.hasPrefix("aug.yaml:2:8: error: 'flips': ") && text.contains("'flips: true'")
                && text.contains("'handedness: true'") && text.contains("S and Z")
        }
        // Handedness alone turns the flip default off.
        let o = try decodeOptions("handedness: true\n")
        #expect(o.flips == false && o.rotation && o.rot90)
        var built = AugmentationOptions(handedness: true)
        #expect(built.flips == false)
        built.flips = true
        #expect(throws: AugmentationError.self) { try Augmenter(built) }
        // Rotations never mirror: over many draws, the map's determinant stays positive.
        let augmenter = try Augmenter(AugmentationOptions(handedness: true))
        for seed in 0..<100 as Range<UInt64> {
            var rng = RandomGenerator(seed: seed)
            let m = augmenter.draw(width: 32, height: 32, using: &rng).map
            #expect(m.a * m.d - m.b * m.c > 0)
        }
    }

    @Test func badValuesPointAtTheirKey() throws {
        #expect { try decodeOptions("crop_scale: [0.9, 0.2]\n") } throws: { e in
            "\(e)".hasPrefix("aug.yaml:1:13: error: 'crop_scale': 'crop_scale' must be [low, high]")
        }
        #expect { try decodeOptions("noise_std: -1\n") } throws: { e in "\(e)".contains("'noise_std' must be ≥ 0") }
        #expect { try decodeOptions("flip: true\n") } throws: { e in "\(e)".contains("did you mean 'flips'?") }
    }

    @Test func quarterTurnOfAKnownImage() throws {
        let x = image([[1, 2, 3], [4, 5, 6]])
        // NumPy's rot90: counter-clockwise as displayed.
        let expected = image([[3, 6], [2, 5], [1, 4]])
        let m = AffineMap.quarterTurn(width: 3)
        #expect(ImageWarp.bilinear(x, width: 2, height: 3, map: m.inverse!) == expected)
        #expect(DihedralTransform(quarterTurns: 1).apply(to: x) == expected)
        // Through the augmenter: a draw with exactly one quarter turn.
        let augmenter = try Augmenter(AugmentationOptions(rotation: false, flips: false, crop: false))
        let (_, out) = try applyUntil(augmenter, Example(id: "k", image: x)) { $0.quarterTurns == 1 }
        #expect(out.example.image == expected)
    }

    @Test func flipsAreExact() throws {
        let x = image([[1, 2, 3], [4, 5, 6]])
        #expect(ImageWarp.bilinear(x, width: 3, height: 2, map: AffineMap.horizontalFlip(width: 3).inverse!)
                == image([[3, 2, 1], [6, 5, 4]]))
        #expect(ImageWarp.bilinear(x, width: 3, height: 2, map: AffineMap.verticalFlip(height: 2).inverse!)
                == image([[4, 5, 6], [1, 2, 3]]))
        let augmenter = try Augmenter(AugmentationOptions(rotation: false, flips: true, rot90: false, crop: false))
        let (_, out) = try applyUntil(augmenter, Example(id: "f", image: x)) { $0.horizontalFlip && !$0.verticalFlip }
        #expect(out.example.image == image([[3, 2, 1], [6, 5, 4]]))
    }

    @Test func latticeCopyAgreesWithInterpolation() throws {
        var x = Image(channels: 2, height: 5, width: 7)
        for i in x.pixels.indices { x.pixels[i] = Float(i % 13) - 6 }
        var maps = DihedralTransform.d4.map { $0.map(width: 7, height: 5) }
        maps.append(.translation(-2, 1))   // a whole-pixel crop offset, partly outside
        for m in maps {
            let g = m.inverse!
            let fast = try #require(ImageWarp.latticeCopy(x, width: 6, height: 6, map: g))
            #expect(fast == ImageWarp.bilinearKernel(x, width: 6, height: 6, map: g))
        }
        #expect(ImageWarp.latticeCopy(x, width: 6, height: 6, map: .translation(0.5, 0)) == nil)
    }

    @Test func halfPixelShiftBlendsNeighboursAndFadesToZero() {
        let x = image([[2, 4, 8], [1, 1, 1]])
        // Output x samples input x − ½: the average of columns x−1 and x, with column −1 = 0.
        let out = ImageWarp.bilinear(x, width: 3, height: 2, map: AffineMap.translation(0.5, 0).inverse!)
        #expect(out == image([[1, 3, 6], [0.5, 1, 1]]))
    }

    /// A sample just inside the right edge must floor to the last column. Computing the floor
    /// as Int(sx + 1) − 1 rounded 63.999996 + 1 up to 65 and read the first pixel of the
    /// next row (past the end of the buffer on the last row): a rotation that landed there
    /// made runs differ depending on what lay beyond the image.
    @Test func sampleJustInsideTheEdgeStaysInItsRow() {
        let width = 64
        let x = Image(channels: 1, height: 2, width: width,
                      pixels: [Float](repeating: 1, count: width) + [Float](repeating: 100, count: width))
        let edge = Double(Float(width).nextDown)
        let out = ImageWarp.bilinearKernel(x, width: 1, height: 1,
                                           map: AffineMap(a: 1, b: 0, c: 0, d: 1, tx: edge, ty: 0))
        // Almost all of the weight is on the missing column to the right (zero fill).
        #expect(out.pixels[0] >= 0 && out.pixels[0] < 0.001)
    }

    @Test func arbitraryRotationBy90MatchesQuarterTurn() throws {
        let n = 24
        var x = Image(channels: 2, height: n, width: n)
        for c in 0..<2 { for y in 0..<n { for xx in 0..<n {
            x[c, y, xx] = sin(Float(xx) * 0.3 + Float(c)) * cos(Float(y) * 0.2)
        } } }
        let rotated = ImageWarp.bilinear(x, width: n, height: n,
                                         map: AffineMap.rotation(Double.pi / 2, aboutX: Double(n) / 2, y: Double(n) / 2).inverse!)
        let exact = DihedralTransform(quarterTurns: 1).apply(to: x)
        let worst = zip(rotated.pixels, exact.pixels).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-4)
        // And 45° is genuinely different: the check above would notice a wrong angle.
        let other = ImageWarp.bilinear(x, width: n, height: n,
                                       map: AffineMap.rotation(Double.pi / 4, aboutX: Double(n) / 2, y: Double(n) / 2).inverse!)
        #expect(zip(other.pixels, exact.pixels).map { abs($0 - $1) }.max()! > 0.1)
    }

    @Test func cropRespectsScaleRatioAndOutputSize() throws {
        let n = 40
        // A horizontal ramp (value = column index) reveals which columns the crop kept.
        var ramp = Image(channels: 1, height: n, width: n)
        for y in 0..<n { for x in 0..<n { ramp[0, y, x] = Float(x) } }
        let options = AugmentationOptions(rotation: false, flips: false, rot90: false, crop: true, outputSize: 24)
        let augmenter = try Augmenter(options)
        for seed in 0..<200 as Range<UInt64> {
            var rng = RandomGenerator(seed: seed)
            let d = augmenter.draw(width: n, height: n, using: &rng)
            let crop = try #require(d.crop)
            let fraction = crop.areaFraction(imageWidth: n, imageHeight: n)
            // Rounding w and h to whole pixels moves the area by at most about one row and column.
            let slack = Double(crop.width + crop.height + 1) / Double(n * n)
            #expect(fraction >= 0.7 - slack && fraction <= 0.8 + slack, "area fraction \(fraction)")
            let ratio = Double(crop.width) / Double(crop.height)
            #expect(ratio >= 0.9 * (1 - 2.0 / Double(crop.height)) && ratio <= 1.1 * (1 + 2.0 / Double(crop.height)))
            #expect(crop.x >= 0 && crop.y >= 0 && crop.x + crop.width <= n && crop.y + crop.height <= n)
            let out = try augmenter.apply(d, to: Example(id: "r", image: ramp), noise: &rng).example.image
            #expect(out.width == 24 && out.height == 24)
            // Bilinear reproduces a linear ramp: output column j shows source column
            // x + (j + ½)·w/24 − ½.
            let s = Double(crop.width) / 24
            for j in [2, 12, 21] {
                let want = Double(crop.x) + (Double(j) + 0.5) * s - 0.5
                #expect(abs(Double(out[0, 12, j]) - want) < 1e-3)
            }
        }
    }

    @Test func cropFallsBackToCentreCrop() {
        // A 100×10 strip cannot hold a near-square crop of 70 % of its area.
        var rng = RandomGenerator(seed: 3)
        let r = CropRegion.random(width: 100, height: 10, scale: 0.7...0.8, ratio: 0.9...1.1, using: &rng)
        #expect(r == CropRegion(x: 44, y: 0, width: 11, height: 10))
    }

    @Test func shrinkingAveragesAreas() throws {
        // A one-pixel checkerboard shrunk 3×: point sampling would see pure 0s and 1s.
        var board = Image(channels: 1, height: 48, width: 48)
        for y in 0..<48 { for x in 0..<48 { board[0, y, x] = Float((x + y) % 2) } }
        let augmenter = try Augmenter(.none(outputSize: 16))
        var rng = RandomGenerator(seed: 0)
        let out = try augmenter.apply(to: Example(id: "b", image: board), using: &rng).example.image
        #expect(out.width == 16)
        for v in out.pixels { #expect(abs(v - 0.5) < 0.06) }
    }

    @Test func masksAndBoxesFollowTheImage() throws {
        let data = SyntheticDataset(count: 8, channels: 1, size: 32)
        for interpolation in [AugmentationOptions.MaskInterpolation.bilinear, .nearest] {
            let augmenter = try Augmenter(AugmentationOptions(outputSize: 40, maskInterpolation: interpolation))
            for seed in 0..<60 as Range<UInt64> {
                let ex = try data.example(at: Int(seed % 8) / 2 * 2)   // even: has a mask
                var rng = RandomGenerator(seed: seed)
                let out = try augmenter.apply(to: ex, using: &rng)
                let img = out.example.image, mask = try #require(out.example.masks["spot"])
                #expect(img.width == 40 && mask.width == 40 && out.droppedBoxes == 0)
                let box = try #require(out.example.boxes.first)
                // The brightest pixel sits in the box and on the mask.
                let peak = img.pixels.indices.max { img.pixels[$0] < img.pixels[$1] }!
                let px = Float(peak % 40) + 0.5, py = Float(peak / 40) + 0.5
                #expect(px > box.x1 && px < box.x2 && py > box.y1 && py < box.y2, "seed \(seed)")
                #expect(mask.pixels[peak] > 0.5, "seed \(seed)")
                // The mask's centroid and the bright region's centroid agree within a pixel.
                func centroid(_ w: [Float]) -> (Float, Float) {
                    var s: Float = 0, sx: Float = 0, sy: Float = 0
                    for (i, v) in w.enumerated() { s += v; sx += v * Float(i % 40); sy += v * Float(i / 40) }
                    return (sx / s + 0.5, sy / s + 0.5)
                }
                let m = centroid(mask.pixels), b = centroid(img.pixels.map { $0 > 5 ? 1 : 0 })
                #expect(abs(m.0 - b.0) < 1 && abs(m.1 - b.1) < 1, "seed \(seed): mask \(m) vs image \(b)")
                #expect(abs((box.x1 + box.x2) / 2 - m.0) < 1 && abs((box.y1 + box.y2) / 2 - m.1) < 1)
                if interpolation == .nearest { #expect(mask.pixels.allSatisfy { $0 == 0 || $0 == 1 }) }
            }
        }
    }

    @Test func boxesOutsideAreDroppedAndCounted() throws {
        let ex = Example(id: "b", image: Image(channels: 1, height: 40, width: 40), boxes: [
            BoundingBox(x1: 0, y1: 0, x2: 2, y2: 2),        // outside the window
            BoundingBox(x1: 25, y1: 25, x2: 30, y2: 30),    // inside
            BoundingBox(x1: 18, y1: 18, x2: 22, y2: 22),    // a quarter visible: kept, clipped
            BoundingBox(x1: 15, y1: 15, x2: 21, y2: 21),    // 1/36 visible: dropped
        ])
        // Keep the 20×20 window starting at (20, 20).
        let draw = AugmentationDraw(outputWidth: 20, outputHeight: 20, map: .translation(-20, -20))
        var rng = RandomGenerator(seed: 0)
        let out = try Augmenter(.none()).apply(draw, to: ex, noise: &rng)
        #expect(out.droppedBoxes == 2)
        #expect(out.example.boxes == [BoundingBox(x1: 5, y1: 5, x2: 10, y2: 10), BoundingBox(x1: 0, y1: 0, x2: 2, y2: 2)])
    }

    @Test func noiseHasTheRequestedSpread() throws {
        let augmenter = try Augmenter(AugmentationOptions(rotation: false, flips: false, rot90: false, crop: false, noiseStd: 0.2))
        var rng = RandomGenerator(seed: 5)
        let out = try augmenter.apply(to: Example(id: "n", image: Image(channels: 3, height: 64, width: 64)), using: &rng)
        let v = out.example.image.pixels.map(Double.init)
        let mean = v.reduce(0, +) / Double(v.count)
        let sd = (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count)).squareRoot()
        #expect(abs(mean) < 0.01 && abs(sd - 0.2) < 0.005)
        let within1 = Double(v.filter { abs($0) < 0.2 }.count) / Double(v.count)
        #expect(abs(within1 - 0.6827) < 0.01)
    }

    @Test func zigguratSamplesAStandardNormal() {
        var rng = RandomGenerator(seed: 11)
        let n = 200_000
        var x = (0..<n).map { _ in GaussianNoise.sample(using: &rng) }
        x.sort()
        // Kolmogorov–Smirnov against the normal CDF: D < 1.63/√n is the 1 % critical value.
        var d = 0.0
        for (i, v) in x.enumerated() {
            let cdf = 0.5 * (1 + erf(v / 2.0.squareRoot()))
            d = max(d, abs(cdf - Double(i) / Double(n)), abs(cdf - Double(i + 1) / Double(n)))
        }
        #expect(d < 1.63 / Double(n).squareRoot())
        // The tails (the ziggurat's slow paths) have the right mass on both sides.
        let above3 = Double(x.filter { $0 > 3 }.count) / Double(n)
        let below3 = Double(x.filter { $0 < -3 }.count) / Double(n)
        #expect(abs(above3 - 0.00135) < 0.0004 && abs(below3 - 0.00135) < 0.0004)
        #expect(x.contains { $0 > 3.6 } && x.contains { $0 < -3.6 })
    }

    @Test func sameGeneratorSameResult() throws {
        let ex = try SyntheticDataset(count: 1).example(at: 0)
        let augmenter = try Augmenter(AugmentationOptions(noiseStd: 0.1))
        var r1 = RandomGenerator(seed: 9, stream: 4), r2 = RandomGenerator(seed: 9, stream: 4)
        var r3 = RandomGenerator(seed: 9, stream: 5)
        let a = try augmenter.apply(to: ex, using: &r1).example
        let b = try augmenter.apply(to: ex, using: &r2).example
        let c = try augmenter.apply(to: ex, using: &r3).example
        #expect(a.image == b.image && a.masks == b.masks && a.boxes == b.boxes)
        #expect(a.image != c.image)
    }

    @Test func mismatchedMaskIsAnError() throws {
        let ex = Example(id: "g7", image: Image(channels: 1, height: 8, width: 8),
                         masks: ["bar": Image(channels: 1, height: 4, width: 4)])
        var rng = RandomGenerator(seed: 0)
        #expect { try Augmenter(AugmentationOptions()).apply(to: ex, using: &rng) } throws: { e in
            "\(e)".contains("'g7'") && "\(e)".contains("mask 'bar' is 4×4")
        }
    }
}
