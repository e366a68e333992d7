import TestSupport
import Foundation
import Testing
@testable import Framework

/// CRC-32 as PNG chunks use it (ISO 3309), for hand-made headers.
func pngCRC(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes {
        crc ^= UInt32(b)
        for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
    }
    return ~crc
}

/// A PNG chunk: length, type, data, CRC over type and data.
func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 255), UInt8((v >> 8) & 255), UInt8(v & 255)] }
    let body = Array(type.utf8) + data
    return be(UInt32(data.count)) + body + be(pngCRC(body))
}

/// An image whose value at (c, y, x) is a distinct multiple of 1/255.
func patternImage(channels: Int, height: Int, width: Int) -> Image {
    var img = Image(channels: channels, height: height, width: width)
    for c in 0..<channels { for y in 0..<height { for x in 0..<width {
        img[c, y, x] = Float((c * 71 + y * 13 + x * 7) % 256) / 255
    } } }
    return img
}

@Suite("PNG through libpng's simplified API")
struct PNGCodecTests {
    @Test("8-bit round trip is exact", arguments: [1, 3])
    func roundTrip8(channels: Int) throws {
        let img = patternImage(channels: channels, height: 5, width: 7)
        let bytes = try PNGCodec.encode(img)
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let back = try PNGCodec.decode(bytes)
        #expect(back == img)
    }

    @Test func alphaIsDroppedAndValuesAreClamped() throws {
        var img = Image(channels: 4, height: 1, width: 3)
        let rgba: [[Float]] = [[1, 0, 0, 1], [0, 0.5, 1, 0.25], [2, -1, .nan, 0]]
        for x in 0..<3 { for c in 0..<4 { img[c, 0, x] = rgba[x][c] } }
        let back = try PNGCodec.decode(try PNGCodec.encode(img))
        #expect(back.shape == [3, 1, 3])
        #expect(back[0, 0, 0] == 1 && back[1, 0, 0] == 0)
        #expect(back[1, 0, 1] == Float(128) / 255 && back[2, 0, 1] == 1)  // not darkened by alpha 0.25
        #expect(back[0, 0, 2] == 1 && back[1, 0, 2] == 0 && back[2, 0, 2] == 0)  // 2 → 1, −1 → 0, NaN → 0
        var ga = Image(channels: 2, height: 1, width: 2)
        ga[0, 0, 0] = 0.2; ga[1, 0, 0] = 0.5; ga[0, 0, 1] = 1; ga[1, 0, 1] = 1
        let g = try PNGCodec.decode(try PNGCodec.encode(ga))
        #expect(g.shape == [1, 1, 2] && g[0, 0, 0] == Float(51) / 255 && g[0, 0, 1] == 1)
    }

    @Test func sixteenBitKnownPixels() throws {
        var img = Image(channels: 3, height: 2, width: 2)
        let values: [Float] = [0, 1, 1000 / 65535, 54321 / 65535]
        for c in 0..<3 { for p in 0..<4 { img.pixels[c * 4 + p] = values[(p + c) % 4] } }
        let bytes = try PNGCodec.encode16(img)
        // IHDR bit depth (byte 24) is 16.
        #expect(bytes[24] == 16)
        let back = try PNGCodec.decode(bytes)
        #expect(back.shape == [3, 2, 2])
        for i in 0..<12 { #expect(abs(back.pixels[i] - img.pixels[i]) < 0.5 / 65535, "pixel \(i)") }
        // 1000/65535 is not a multiple of 1/255: only a true 16-bit read returns it.
        #expect(back.pixels.contains { abs($0 - 1000 / 65535) < 1e-7 })

        var grey = Image(channels: 1, height: 1, width: 3)
        grey.pixels = [0.25, 12345 / 65535, 1]
        let g = try PNGCodec.decode(try PNGCodec.encode16(grey))
        #expect(g.shape == [1, 1, 3])
        for i in 0..<3 { #expect(abs(g.pixels[i] - grey.pixels[i]) < 0.5 / 65535) }
    }

    @Test func sixteenBitWithAlphaKeepsColour() throws {
        var img = Image(channels: 4, height: 1, width: 2)
        img.pixels = [0.6, 0.2, 0.3, 0.9, 0.1, 0.8, 0.5, 0.5]  // R R G G B B A A
        let back = try PNGCodec.decode(try PNGCodec.encode16(img))
        #expect(back.shape == [3, 1, 2])
        for i in 0..<6 { #expect(abs(back.pixels[i] - img.pixels[i]) < 1e-3, "pixel \(i)") }
    }

    @Test func paletteKnownPixels() throws {
        let palette: [(r: UInt8, g: UInt8, b: UInt8)] = [(255, 0, 0), (0, 128, 255), (10, 20, 30)]
        let indices: [UInt8] = [0, 1, 2, 2, 1, 0]
        let bytes = try PNGCodec.encodeIndexed(indices: indices, width: 3, height: 2, palette: palette)
        #expect(bytes[25] == 3)  // IHDR colour type 3: palette
        let img = try PNGCodec.decode(bytes)
        #expect(img.shape == [3, 2, 3])
        for (p, k) in indices.enumerated() {
            let y = p / 3, x = p % 3
            let e = palette[Int(k)]
            #expect(img[0, y, x] == Float(e.r) / 255 && img[1, y, x] == Float(e.g) / 255 && img[2, y, x] == Float(e.b) / 255)
        }
        #expect(throws: ImageFileError.self) {
            try PNGCodec.encodeIndexed(indices: [3], width: 1, height: 1, palette: palette)
        }
    }

    @Test func absurdHeaderIsRefusedBeforeAllocation() throws {
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 255), UInt8((v >> 8) & 255), UInt8(v & 255)] }
        // 100000 × 100000 RGB, 8-bit: valid CRC, so only our limit can refuse it.
        let ihdr = be(100_000) + be(100_000) + [8, 2, 0, 0, 0]
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + pngChunk("IHDR", ihdr)
            + pngChunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]) + pngChunk("IEND", [])
        #expect(throws: ImageFileError.tooLarge(path: "huge.png", format: "PNG", width: 100_000, height: 100_000,
                                                channels: 3, limits: .standard)) {
            try PNGCodec.decode(png, source: "huge.png")
        }
        // A tighter limit applies too.
        let small = try PNGCodec.encode(Image(channels: 1, height: 40, width: 40))
        #expect(throws: ImageFileError.self) { try PNGCodec.decode(small, limits: ImageLimits(maxSide: 32)) }
    }

    @Test func badInputsThrowNamingTheFile() throws {
        let dir = try TemporaryFolder()
        let good = try PNGCodec.encode(patternImage(channels: 3, height: 16, width: 16))
        #expect(throws: ImageFileError.empty(path: "e.png")) { try PNGCodec.decode([], source: "e.png") }
        do {
            _ = try PNGCodec.decode(Array(good.prefix(good.count / 2)), source: "cut.png")
            Issue.record("a truncated PNG decoded")
        } catch let e as ImageFileError {
            guard case .corrupt(let path, "PNG", _) = e else { Issue.record("unexpected \(e)"); return }
            #expect(path == "cut.png")
        }
        // Every cut inside the image data is an error, not a padded image.
        let big = try PNGCodec.encode(patternImage(channels: 3, height: 64, width: 64))
        for cut in stride(from: 13, to: big.count - 12, by: max(1, big.count / 17)) {
            #expect(throws: ImageFileError.self, "cut \(cut) of \(big.count)") {
                try PNGCodec.decode(Array(big.prefix(big.count - cut)), source: "cut.png")
            }
        }
        #expect(throws: ImageFileError.self) { try PNGCodec.decode(Array("not a png at all".utf8)) }
        #expect(throws: FileError.self) { try PNGCodec.read(path: dir.file("missing.png")) }
        let empty = try dir.write("empty.png", [])
        #expect(throws: ImageFileError.empty(path: empty)) { try PNGCodec.read(path: empty) }
        #expect(throws: ImageFileError.self) { try PNGCodec.encode(Image(channels: 5, height: 1, width: 1)) }
    }

    @Test func writeIsAtomicAndReadable() throws {
        let dir = try TemporaryFolder()
        let img = patternImage(channels: 3, height: 4, width: 6)
        try PNGCodec.write(img, to: dir.file("plot.png"))
        #expect(try PNGCodec.read(path: dir.file("plot.png")) == img)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["plot.png"])
    }
}
