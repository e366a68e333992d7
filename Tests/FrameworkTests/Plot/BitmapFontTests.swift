import Testing
@testable import Framework

@Suite("Bitmap font and text")
struct BitmapFontTests {
    /// Every character labels need, per the plotting brief.
    static let required = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.,:;-+_/()[]%=<>'\"!?#*&@")

    @Test func everyRequiredCharacterHasItsOwnInkedGlyph() {
        for ch in Self.required {
            #expect(BitmapFont.hasGlyph(ch), "no glyph for \(ch)")
            let ink = BitmapFont.rows(for: ch).map { $0.nonzeroBitCount }.reduce(0, +)
            #expect(ink > 0, "glyph \(ch) is blank")
        }
        #expect(BitmapFont.rows(for: " ").allSatisfy { $0 == 0 })
    }

    @Test func noTwoGlyphsLookAlike() {
        var seen: [[UInt8]: Character] = [:]
        for ch in Self.required {
            let rows = BitmapFont.rows(for: ch)
            #expect(seen[rows] == nil, "\(ch) is drawn exactly like \(seen[rows].map(String.init) ?? "")")
            seen[rows] = ch
        }
    }

    @Test func unknownCharactersFoldOrShowABox() {
        #expect(BitmapFont.rows(for: "é") == BitmapFont.rows(for: "e"))
        #expect(BitmapFont.rows(for: "—") == BitmapFont.rows(for: "-"))
        let box = BitmapFont.rows(for: "漢")
        #expect(box[0] == 0b11111 && box[6] == 0b11111 && box[3] == 0b10001)
    }

    @Test func drawnCharacterPutsInkOnlyInsideItsBox() {
        var c = Canvas(width: 40, height: 30)
        let box = c.drawText("g", x: 10, y: 5, color: .black, scale: 2)
        let ink = pixelsOf( c.image) { $0.luminance < 0.5 }
        let expected = BitmapFont.rows(for: "g").map { $0.nonzeroBitCount }.reduce(0, +) * 4
        #expect(ink.count == expected)
        #expect(ink.allSatisfy { box.contains(x: $0.x, y: $0.y) })
        // The descender reaches below the baseline (row 7 × 2 px onwards).
        #expect(ink.contains { $0.y >= 5 + 14 })
    }

    @Test func oneAndSevenDiffer() {
        func render(_ s: String) -> Image {
            var c = Canvas(width: 20, height: 12)
            c.drawText(s, x: 2, y: 2, color: .black)
            return c.image
        }
        let one = render("1"), seven = render("7")
        #expect(inkedPixelCount(one) > 0 && inkedPixelCount(seven) > 0)
        #expect(one.pixels != seven.pixels)
    }

    @Test(arguments: [1, 2, 3])
    func widthIsCharactersTimesAdvance(scale: Int) {
        let text = "loss = 0.25"
        #expect(BitmapFont.width(of: text, scale: scale) == text.count * BitmapFont.advance * scale)
        var c = Canvas(width: 300, height: 40)
        c.drawText(text, x: 0, y: 0, color: .black, scale: scale)
        let xs = pixelsOf( c.image) { $0.luminance < 0.5 }.map(\.x)
        // Ink spans from the first glyph's left column to the last glyph's right column
        // ("5" touches both edges of its cell; "l" starts one column in).
        #expect(xs.max()! + 1 == (text.count * BitmapFont.advance - 1) * scale)
        #expect(xs.min()! == scale)
    }

    @Test func anchorsPlaceTheBox() {
        let w = BitmapFont.inkWidth(of: "abc", scale: 2)
        #expect(Canvas.textBox("abc", x: 100, y: 50, scale: 2, anchor: .topCenter).x == 100 - w / 2)
        #expect(Canvas.textBox("abc", x: 100, y: 50, scale: 2, anchor: .middleRight).maxX == 100)
        #expect(Canvas.textBox("abc", x: 100, y: 50, scale: 2, anchor: .bottomCenter).maxY == 50)
    }

    @Test func rotatedTextReadsUpwards() {
        // "L" turned a quarter counter-clockwise: its stem becomes the bottom row and its
        // foot the right-hand column.
        var c = Canvas(width: 20, height: 20)
        let box = c.drawText("L", x: 5, y: 5, color: .black, rotated: true)
        #expect(box.width == BitmapFont.cellHeight && box.height == BitmapFont.glyphWidth)
        let ink = pixelsOf( c.image) { $0.luminance < 0.5 }
        let bottom = ink.filter { $0.y == box.maxY }.map(\.x).sorted()
        #expect(bottom == Array(box.x..<(box.x + 7)))
        let rightColumn = ink.filter { $0.x == box.x + 6 }.map(\.y).sorted()
        #expect(rightColumn == Array(box.y...box.maxY))
        #expect(ink.count == 11)
    }

    @Test func truncationFitsTheWidth() {
        let t = BitmapFont.truncated("J123456.7+012345", toWidth: 60)
        #expect(t == "J123456..." && BitmapFont.width(of: t) <= 60)
        #expect(BitmapFont.truncated("short", toWidth: 60) == "short")
    }
}
