import TestSupport
import Foundation
import Testing
@testable import Framework

@Suite("FITS through cfitsio")
struct FITSCodecTests {
    static func ramp(channels: Int = 1, height: Int = 3, width: Int = 4, scale: Float = 1, offset: Float = 0) -> Image {
        var img = Image(channels: channels, height: height, width: width)
        for i in img.pixels.indices { img.pixels[i] = Float(i) * scale + offset }
        return img
    }

    @Test func float32RoundTripIsExact() throws {
        let dir = try TemporaryFolder()
        var img = Self.ramp(scale: 0.37, offset: -2)
        img.pixels[5] = 1e-30
        img.pixels[6] = -3.5e12
        try FITSCodec.write(img, to: dir.file("a.fits"))
        let back = try FITSCodec.read(path: dir.file("a.fits"))
        #expect(back.image == img)
        #expect(back.bitpix == -32 && back.hdu == 0 && back.missingFraction == [0])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.fits"])
    }

    @Test("integer and double BITPIX with BSCALE/BZERO give physical values",
          arguments: [(8, 0.5, 10.0), (16, 0.25, 1000.0), (16, 1.0, 32768.0), (32, 2.0, -7.0), (64, 1.0, 0.0), (-64, 3.0, 1.0)])
    func scaledRoundTrip(bitpix: Int, bscale: Double, bzero: Double) throws {
        let dir = try TemporaryFolder()
        // Physical values that are exact multiples of bscale from bzero, inside each type's range.
        var img = Image(channels: 1, height: 2, width: 5)
        for i in 0..<10 { img.pixels[i] = Float(bzero + bscale * Double(i * 11 % 37)) }
        try FITSCodec.write([FITSWriteHDU(image: img, bitpix: bitpix, bscale: bscale, bzero: bzero)], to: dir.file("s.fits"))
        let back = try FITSCodec.read(path: dir.file("s.fits"))
        #expect(back.bitpix == bitpix)
        #expect(back.image == img)
        // The header carries the stored type and the scaling.
        let bytes = try FITSFileHeader(path: dir.file("s.fits"))
        if bscale != 1 { #expect(bytes.value("BSCALE") != nil) }
        #expect(bytes.value("BITPIX") == "\(bitpix)")
    }

    @Test func blankAndNaNBecomeTheBandMedian() throws {
        let dir = try TemporaryFolder()
        var img = Image(channels: 1, height: 2, width: 3, pixels: [1, 2, .nan, 4, 100, .nan])
        try FITSCodec.write([FITSWriteHDU(image: img, bitpix: 16, bscale: 0.5, bzero: 0, blank: -32768)], to: dir.file("b.fits"))
        let header = try FITSFileHeader(path: dir.file("b.fits"))
        #expect(header.value("BLANK") == "-32768")
        let back = try FITSCodec.read(path: dir.file("b.fits"))
        // Finite values 1, 2, 4, 100: median (2 + 4) / 2 = 3.
        #expect(back.image.pixels == [1, 2, 3, 4, 100, 3])
        #expect(back.missingFraction == [2.0 / 6.0])

        img.pixels = [.nan, 5, .infinity, 7, 9, .nan]
        try FITSCodec.write(img, to: dir.file("f.fits"))
        let f = try FITSCodec.read(path: dir.file("f.fits"))
        #expect(f.image.pixels == [7, 5, 7, 7, 9, 7])
        #expect(f.missingFraction == [0.5])
    }

    @Test func allMissingBandIsAnErrorNamingTheFile() throws {
        let dir = try TemporaryFolder()
        let path = dir.file("nan.fits")
        var img = Image(channels: 2, height: 2, width: 2)
        img.pixels = [1, 2, 3, 4, .nan, .nan, .nan, .nan]
        try FITSCodec.write(img, to: path)
        #expect(throws: ImageFileError.allMissing(path: path, band: 1)) { try FITSCodec.read(path: path) }
        // Band 0 alone is fine.
        #expect(try FITSCodec.read(path: path, options: FITSReadOptions(bands: [0])).image.pixels == [1, 2, 3, 4])
        #expect(ImageFileError.allMissing(path: path, band: 1).description.contains(path))
    }

    @Test func cubesAndBandSelection() throws {
        let dir = try TemporaryFolder()
        let cube = Self.ramp(channels: 3, height: 2, width: 3)
        try FITSCodec.write(cube, to: dir.file("c.fits"))
        #expect(try FITSFileHeader(path: dir.file("c.fits")).value("NAXIS") == "3")
        let all = try FITSCodec.read(path: dir.file("c.fits"))
        #expect(all.image == cube)
        let picked = try FITSCodec.read(path: dir.file("c.fits"), options: FITSReadOptions(bands: [2, 0]))
        #expect(picked.image.shape == [2, 2, 3])
        #expect(Array(picked.image.pixels[0..<6]) == Array(cube.pixels[12..<18]))
        #expect(Array(picked.image.pixels[6..<12]) == Array(cube.pixels[0..<6]))
        #expect(throws: ImageFileError.self) { try FITSCodec.read(path: dir.file("c.fits"), options: FITSReadOptions(bands: [3])) }
    }

    @Test func extensionsByNameAndNumber() throws {
        let dir = try TemporaryFolder()
        let path = dir.file("mef.fits")
        let sci = Self.ramp(offset: 10), wht = Self.ramp(channels: 2, offset: 500)
        try FITSCodec.write([FITSWriteHDU(image: nil), FITSWriteHDU(image: sci, name: "SCI"),
                             FITSWriteHDU(image: wht, bitpix: 32, name: "WHT")], to: path)
        // Empty primary: the first image extension is read.
        let first = try FITSCodec.read(path: path)
        #expect(first.hdu == 1 && first.image == sci)
        #expect(try FITSCodec.read(path: path + "[2]").image == wht)
        #expect(try FITSCodec.read(path: path + "[WHT]").image == wht)
        #expect(try FITSCodec.read(path: path, options: FITSReadOptions(hdu: .name("SCI"))).image == sci)
        #expect(try FITSCodec.read(path: path, options: FITSReadOptions(hdu: .index(2))).hdu == 2)
        // The selector in the path wins over the option.
        #expect(try FITSCodec.read(path: path + "[1]", options: FITSReadOptions(hdu: .index(2))).image == sci)
        #expect(throws: ImageFileError.self) { try FITSCodec.read(path: path + "[NOPE]") }
        #expect(throws: ImageFileError.self) { try FITSCodec.read(path: path + "[7]") }
        #expect(throws: ImageFileError.self) { try FITSCodec.read(path: path, options: FITSReadOptions(hdu: .index(0))) }
        #expect(FITSHDU.split(path: "a/b.fits[SCI]") == ("a/b.fits", .name("SCI")))
        #expect(FITSHDU.split(path: "a/b.fits").hdu == nil)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/gzip"), "needs /bin/gzip to make a .fits.gz"))
    func gzippedFiles() throws {
        let dir = try TemporaryFolder()
        let img = Self.ramp(channels: 2, height: 5, width: 6, scale: 0.5)
        try FITSCodec.write(img, to: dir.file("z.fits"))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = [dir.file("z.fits")]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(try FITSCodec.read(path: dir.file("z.fits.gz")).image == img)
        #expect(try ImageLoader().decode(path: dir.file("z.fits.gz")).format == .fits)
    }

    @Test func badFilesThrow() throws {
        let dir = try TemporaryFolder()
        #expect(throws: FileError.self) { try FITSCodec.read(path: dir.file("missing.fits")) }
        let empty = try dir.write("empty.fits", [])
        #expect(throws: ImageFileError.self) { try FITSCodec.read(path: empty) }
        let junk = try dir.write("junk.fits", Array(String(repeating: "not fits ", count: 700).utf8))
        #expect(throws: ImageFileError.self) { try FITSCodec.read(path: junk) }
        try FITSCodec.write(Self.ramp(height: 40, width: 40), to: dir.file("ok.fits"))
        let good = try FileIO.read(dir.file("ok.fits"))
        #expect(try FITSCodec.decode(good).image == Self.ramp(height: 40, width: 40))
        #expect(throws: ImageFileError.self) { try FITSCodec.decode(Array(good.prefix(2880 + 100))) }
        #expect(throws: ImageFileError.self) { try FITSCodec.decode(Array(good.prefix(1000))) }
        #expect(throws: ImageFileError.empty(path: "<memory>")) { try FITSCodec.decode([]) }
        // A header declaring 100000 × 100000 is refused before reading.
        var huge = good
        replaceCard(&huge, key: "NAXIS1", value: "100000")
        replaceCard(&huge, key: "NAXIS2", value: "100000")
        do {
            _ = try FITSCodec.decode(huge, source: "huge.fits")
            Issue.record("huge FITS decoded")
        } catch let e as ImageFileError {
            if case .tooLarge = e {} else if case .corrupt = e {} else { Issue.record("unexpected \(e)") }
        }
    }
}

/// Overwrites the value of a header card in raw FITS bytes (right-justified in columns 11–30).
func replaceCard(_ bytes: inout [UInt8], key: String, value: String) {
    let padded = Array(key.padding(toLength: 8, withPad: " ", startingAt: 0).utf8) + Array("= ".utf8)
    var card = 0
    while card * 80 + 80 <= min(bytes.count, 2880 * 4) {
        if Array(bytes[(card * 80)..<(card * 80 + 10)]) == padded {
            let field = Array(String(repeating: " ", count: 20 - value.count).utf8) + Array(value.utf8)
            bytes.replaceSubrange((card * 80 + 10)..<(card * 80 + 30), with: field)
            return
        }
        card += 1
    }
}

/// The header cards of a FITS file's primary HDU, read as text for checks.
struct FITSFileHeader {
    var cards: [String] = []

    init(path: String) throws {
        let bytes = try FileIO.read(path)
        var i = 0
        while i + 80 <= bytes.count {
            let card = String(decoding: bytes[i..<(i + 80)], as: UTF8.self)
            cards.append(card)
            if card.hasPrefix("END ") { break }
            i += 80
        }
    }

    func value(_ key: String) -> String? {
        let k = key.padding(toLength: 8, withPad: " ", startingAt: 0)
        guard let card = cards.first(where: { $0.hasPrefix(k + "=") }) else { return nil }
        let v = card.dropFirst(10).split(separator: "/").first ?? ""
        return v.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
    }
}
