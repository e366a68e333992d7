import Testing
@testable import Framework

@Suite("Canvas raster")
struct CanvasTests {
    @Test func diagonalLineTouchesTheDiagonalPixels() {
        var c = Canvas(width: 12, height: 12)
        c.drawLine(x0: 0, y0: 0, x1: 9, y1: 9, color: .black, width: 1)
        let img = c.image
        for i in 0...9 { #expect(colorAt(img, i, i).luminance < 0.05, "pixel (\(i), \(i)) not inked") }
        #expect(colorAt(img, 9, 0).luminance > 0.99)
        #expect(colorAt(img, 0, 9).luminance > 0.99)
        #expect(colorAt(img, 11, 11).luminance > 0.99)
        // Anti-aliased: neighbours of the diagonal are partly covered, not fully.
        let side = colorAt(img, 5, 4).luminance
        #expect(side > 0.3 && side < 0.99)
    }

    @Test func axisAlignedLineIsCrisp() {
        var c = Canvas(width: 20, height: 10)
        c.drawLine(x0: 2, y0: 4, x1: 17, y1: 4, color: .black, width: 1)
        let img = c.image
        for x in 2...17 { #expect(colorAt(img, x, 4).luminance < 0.01) }
        for x in 0..<20 {
            #expect(colorAt(img, x, 3).luminance > 0.99 && colorAt(img, x, 5).luminance > 0.99)
        }
    }

    @Test func thickLineCoversItsWidth() {
        var c = Canvas(width: 20, height: 20)
        c.drawLine(x0: 10, y0: 2, x1: 10, y1: 17, color: .black, width: 3)
        let img = c.image
        for x in 9...11 { #expect(colorAt(img, x, 10).luminance < 0.01) }
        #expect(colorAt(img, 8, 10).luminance > 0.99 && colorAt(img, 12, 10).luminance > 0.99)
    }

    @Test func dashedLineHasGaps() {
        var c = Canvas(width: 60, height: 5)
        c.drawPolyline([(0, 2), (59, 2)], color: .black, width: 1, dash: [6, 4])
        let row = (0..<60).map { colorAt(c.image, $0, 2).luminance < 0.5 }
        #expect(row[2] && row[13] && !row[8] && !row[18])
    }

    @Test func alphaBlendsOverTheBackground() {
        var c = Canvas(width: 4, height: 4)
        c.fillRect(PixelRect(x: 0, y: 0, width: 2, height: 4), color: .black, alpha: 0.25)
        #expect(abs(colorAt(c.image, 0, 0).red - 0.75) < 1e-6)
        #expect(colorAt(c.image, 3, 0).red == 1)
        c.fillRect(PixelRect(x: 0, y: 0, width: 2, height: 4), color: .black, alpha: 0.25)
        #expect(abs(colorAt(c.image, 1, 3).red - 0.5625) < 1e-6)
    }

    @Test func fractionalRectangleEdgesArePartlyCovered() {
        var c = Canvas(width: 10, height: 4)
        c.fillRect(x0: 1.5, y0: -0.5, x1: 4.0, y1: 3.5, color: .black)
        let img = c.image
        #expect(colorAt(img, 2, 1).luminance < 0.01 && colorAt(img, 3, 1).luminance < 0.01)
        #expect(abs(colorAt(img, 4, 1).red - 0.5) < 1e-6)
        #expect(colorAt(img, 1, 1).red == 1 && colorAt(img, 5, 1).red == 1)
    }

    @Test func polygonFillsItsInsideOnly() {
        var c = Canvas(width: 30, height: 30)
        c.fillPolygon([(5, 5), (25, 5), (25, 25), (5, 25)], color: .black)
        let img = c.image
        #expect(colorAt(img, 15, 15).luminance < 0.01)
        #expect(colorAt(img, 2, 15).luminance > 0.99 && colorAt(img, 28, 28).luminance > 0.99)
        // Edge pixels on x = 5 are half inside.
        #expect(abs(colorAt(img, 5, 15).red - 0.5) < 0.01)
    }

    @Test func circlesAndMarkers() {
        var c = Canvas(width: 40, height: 40)
        c.fillCircle(x: 10, y: 10, radius: 5, color: .black)
        c.strokeCircle(x: 30, y: 30, radius: 6, color: .black, width: 1)
        let img = c.image
        #expect(colorAt(img, 10, 10).luminance < 0.01 && colorAt(img, 10, 17).luminance > 0.99)
        #expect(colorAt(img, 30, 30).luminance > 0.99 && colorAt(img, 36, 30).luminance < 0.05)
        for m in Marker.allCases {
            var k = Canvas(width: 20, height: 20)
            k.drawMarker(m, x: 10, y: 10, size: 8, color: .black)
            #expect(colorAt(k.image, 10, 10).luminance < 0.01, "\(m) misses its centre")
            #expect(colorAt(k.image, 1, 1).luminance > 0.99, "\(m) spills")
        }
    }

    @Test func clipKeepsDrawingInside() {
        var c = Canvas(width: 20, height: 20)
        c.clip = PixelRect(x: 5, y: 5, width: 10, height: 10)
        c.drawLine(x0: 0, y0: 10, x1: 19, y1: 10, color: .black, width: 3)
        c.drawText("WWW", x: 0, y: 0, color: .black, scale: 3)
        let ink = pixelsOf( c.image) { $0.luminance < 0.99 }
        #expect(!ink.isEmpty)
        #expect(ink.allSatisfy { c.clip.contains(x: $0.x, y: $0.y) })
    }

    @Test func farAwayOrNonFiniteShapesAreIgnored() {
        var c = Canvas(width: 10, height: 10)
        c.drawLine(x0: .nan, y0: 0, x1: 5, y1: 5, color: .black)
        c.drawLine(x0: -1e300, y0: 5, x1: 1e300, y1: 5, color: .black)
        c.fillCircle(x: .infinity, y: 3, radius: 2, color: .black)
        // The huge line still crosses the canvas; the NaN one and the circle draw nothing.
        #expect(colorAt(c.image, 5, 5).luminance < 0.01)
        #expect(pixelsOf( c.image) { $0.luminance < 0.99 }.allSatisfy { $0.y == 5 })
    }

    @Test func imagesResizeNearestAndBilinear() {
        // 2×2 grey image: 0, 1 / 1, 0.
        let src = Image(channels: 1, height: 2, width: 2, pixels: [0, 1, 1, 0])
        var c = Canvas(width: 4, height: 4)
        c.drawImage(src, in: PixelRect(x: 0, y: 0, width: 4, height: 4), interpolation: .nearest)
        let n = c.image
        #expect(colorAt(n, 0, 0).red == 0 && colorAt(n, 1, 1).red == 0 && colorAt(n, 2, 0).red == 1 && colorAt(n, 3, 3).red == 0)
        c.drawImage(src, in: PixelRect(x: 0, y: 0, width: 4, height: 4), interpolation: .bilinear)
        let b = c.image
        #expect(colorAt(b, 0, 0).red == 0)
        // Pixel 1 samples source position 0.25 on both axes: 0·(.75·.75 + .25·.25) + 1·(2·.25·.75).
        #expect(abs(colorAt(b, 1, 1).red - 0.375) < 1e-6)
        // RGB images keep their colours.
        let red = Image(channels: 3, height: 1, width: 1, pixels: [1, 0, 0])
        c.drawImage(red, in: PixelRect(x: 0, y: 0, width: 2, height: 2))
        #expect(colorAt(c.image, 1, 1) == RGBColor(red: 1, green: 0, blue: 0))
    }

    @Test func strongShrinkingAveragesInsteadOfAliasing() {
        // A one-pixel checkerboard shrunk 8×: point sampling would give pure black or white.
        let board = Image(channels: 1, height: 64, width: 64, pixels: (0..<4096).map { Float(($0 / 64 + $0 % 64) % 2) })
        var c = Canvas(width: 8, height: 8)
        c.drawImage(board, in: c.bounds, interpolation: .bilinear)
        #expect(c.image.pixels.allSatisfy { abs($0 - 0.5) < 1e-6 })
        c.drawImage(board, in: c.bounds, interpolation: .nearest)
        #expect(c.image.pixels.allSatisfy { $0 == 0 || $0 == 1 })
    }
}
