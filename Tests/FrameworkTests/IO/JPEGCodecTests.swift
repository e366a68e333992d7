import Testing
@testable import Framework

@Suite("JPEG through libjpeg-turbo (setjmp error handling in the C shim)")
struct JPEGCodecTests {
    /// Within ±3/255, what quality-100 JPEG of flat, MCU-aligned blocks must give back.
    static func near(_ a: Float, _ b: Int) -> Bool { abs(a * 255 - Float(b)) <= 3 }

    @Test func rgbFixtureHasKnownBlocks() throws {
        let img = try JPEGCodec.read(path: Fixtures.path("blocks-rgb.jpg"))
        #expect(img.shape == [3, 16, 16])
        let colours = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [200, 120, 40]]
        for y in 0..<16 { for x in 0..<16 {
            let block = (y / 8) * 2 + x / 8
            for c in 0..<3 { #expect(Self.near(img[c, y, x], colours[block][c]), "(\(c), \(y), \(x))") }
        } }
    }

    @Test func greyFixtureHasOneChannel() throws {
        let img = try JPEGCodec.read(path: Fixtures.path("blocks-grey.jpg"))
        #expect(img.shape == [1, 16, 16])
        let greys = [0, 85, 170, 255]
        for y in 0..<16 { for x in 0..<16 {
            #expect(Self.near(img[0, y, x], greys[(y / 8) * 2 + x / 8]), "(\(y), \(x))")
        } }
    }

    @Test func cmykIsRefusedWithAReason() throws {
        do {
            _ = try JPEGCodec.read(path: Fixtures.path("cmyk.jpg"))
            Issue.record("CMYK decoded")
        } catch let ImageFileError.unsupported(path, format, detail) {
            #expect(path.hasSuffix("cmyk.jpg") && format == "JPEG" && detail.contains("CMYK"))
        }
    }

    @Test func corruptAndEmptyInputThrow() throws {
        let good = try Fixtures.bytes("blocks-rgb.jpg")
        #expect(throws: ImageFileError.empty(path: "e.jpg")) { try JPEGCodec.decode([], source: "e.jpg") }
        // Header cut off: libjpeg cannot even read the dimensions.
        do {
            _ = try JPEGCodec.decode(Array(good.prefix(20)), source: "cut.jpg")
            Issue.record("a 20-byte JPEG decoded")
        } catch let ImageFileError.corrupt(path, format, message) {
            #expect(path == "cut.jpg" && format == "JPEG" && !message.isEmpty)
        }
        #expect(throws: ImageFileError.self) { try JPEGCodec.decode(Array("definitely not a jpeg".utf8)) }
        // Start-of-image marker damaged.
        var broken = good
        broken[1] = 0x00
        #expect(throws: ImageFileError.self) { try JPEGCodec.decode(broken) }
        // Cut inside the entropy-coded data: libjpeg only warns and pads with grey, which
        // would put half-grey galaxies into a training set; it is an error naming the file.
        for cut in [10, 40, good.count / 2] {
            do {
                _ = try JPEGCodec.decode(Array(good.prefix(good.count - cut)), source: "half.jpg")
                Issue.record("a JPEG missing its last \(cut) bytes decoded")
            } catch let ImageFileError.corrupt(path, format, message) {
                #expect(path == "half.jpg" && format == "JPEG")
                #expect(message.contains("Premature end of JPEG file") || message.contains("Corrupt JPEG data"), "\(message)")
            }
        }
        // Corrupt entropy-coded data (a marker inside the scan) is an error too.
        var marker = good
        marker[good.count - 30] = 0xFF
        marker[good.count - 29] = 0xD9
        #expect(throws: ImageFileError.self) { try JPEGCodec.decode(marker, source: "marker.jpg") }
    }

    @Test func oversizedHeaderIsRefusedBeforeDecoding() throws {
        var bytes = try Fixtures.bytes("blocks-rgb.jpg")
        // Find SOF0 (FF C0) and declare 60000 × 60000.
        guard let sof = (0..<(bytes.count - 1)).first(where: { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 }) else {
            Issue.record("no SOF0 marker in fixture"); return
        }
        bytes[sof + 5] = 0xEA; bytes[sof + 6] = 0x60  // height 60000
        bytes[sof + 7] = 0xEA; bytes[sof + 8] = 0x60  // width 60000
        #expect(throws: ImageFileError.tooLarge(path: "big.jpg", format: "JPEG", width: 60000, height: 60000,
                                                channels: 3, limits: .standard)) {
            try JPEGCodec.decode(bytes, source: "big.jpg")
        }
    }
}
