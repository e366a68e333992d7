import TestSupport
import Foundation
import Testing
@testable import Framework

/// Seeded mutations of valid files: every decode must return an image or throw — never
/// crash, hang or allocate past the limits. Deterministic: the same cases on every run.
@Suite("Decoder mutation fuzz")
struct DecoderFuzzTests {
    /// 1000 per format; `ZOO_FUZZ_CASES=N` runs a longer campaign with the same seeds.
    static let casesPerFormat = ProcessInfo.processInfo.environment["ZOO_FUZZ_CASES"].flatMap { Int($0) } ?? 1000
    /// Tight limits, so a mutated header that stays "legal" cannot make a case slow.
    static let limits = ImageLimits(maxSide: 2048, maxValues: 1 << 22)

    /// One mutation of `seed` (`FuzzMutation`, shared with the other suites' fuzzers).
    static func mutate(_ seed: [UInt8], _ rng: inout RandomGenerator) -> [UInt8] { FuzzMutation.mutate(seed, &rng) }

    /// Recomputes PNG chunk CRCs so mutations reach libpng's decoder, not only its CRC check.
    static func fixPNGCRCs(_ bytes: inout [UInt8]) {
        var i = 8
        while i + 12 <= bytes.count {
            let len = Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            guard len >= 0, i + 12 + len <= bytes.count else { return }
            let crc = pngCRC(Array(bytes[(i + 4)..<(i + 8 + len)]))
            bytes[i + 8 + len] = UInt8(crc >> 24); bytes[i + 9 + len] = UInt8((crc >> 16) & 255)
            bytes[i + 10 + len] = UInt8((crc >> 8) & 255); bytes[i + 11 + len] = UInt8(crc & 255)
            i += 12 + len
        }
    }

    /// Runs the cases; returns how many decoded and how many were rejected.
    static func run(_ name: String, seeds: [[UInt8]], stream: UInt64, prepare: (inout [UInt8], inout RandomGenerator) -> Void = { _, _ in },
                    decode: ([UInt8]) throws -> Image) -> (decoded: Int, rejected: Int) {
        var decoded = 0, rejected = 0
        for k in 0..<casesPerFormat {
            var rng = RandomGenerator(seed: 0x5EED_F022, stream: stream &* 1_000_003 &+ UInt64(k))
            var bytes = mutate(seeds[k % seeds.count], &rng)
            prepare(&bytes, &rng)
            do {
                let img = try decode(bytes)
                #expect(img.pixels.count == img.channels * img.height * img.width, "\(name) case \(k)")
                #expect(img.channels * img.height * img.width <= limits.maxValues, "\(name) case \(k)")
                decoded += 1
            } catch {
                rejected += 1
            }
        }
        print("fuzz \(name): \(casesPerFormat) cases, \(decoded) decoded, \(rejected) rejected")
        return (decoded, rejected)
    }

    @Test func png() throws {
        var rgb = Image(channels: 3, height: 20, width: 24)
        for i in rgb.pixels.indices { rgb.pixels[i] = Float((i * 37) % 256) / 255 }
        var grey = Image(channels: 1, height: 9, width: 13)
        for i in grey.pixels.indices { grey.pixels[i] = Float(i % 7) / 6 }
        let seeds = [try PNGCodec.encode(rgb), try PNGCodec.encode16(grey),
                     try PNGCodec.encodeIndexed(indices: (0..<48).map { UInt8($0 % 3) }, width: 8, height: 6,
                                                palette: [(255, 0, 0), (0, 255, 0), (0, 0, 255)])]
        let r = Self.run("PNG", seeds: seeds, stream: 1, prepare: { bytes, rng in
            if rng.next() % 2 == 0 { Self.fixPNGCRCs(&bytes) }
        }) { try PNGCodec.decode($0, limits: Self.limits) }
        // Both outcomes must occur, or the mutations are not exercising the decoder.
        #expect(r.decoded > 20 && r.rejected > 100)
    }

    @Test func jpeg() throws {
        let seeds = [try Fixtures.bytes("blocks-rgb.jpg"), try Fixtures.bytes("blocks-grey.jpg")]
        let r = Self.run("JPEG", seeds: seeds, stream: 2) { try JPEGCodec.decode($0, limits: Self.limits) }
        #expect(r.decoded > 100 && r.rejected > 100)
    }

    @Test func fits() throws {
        let dir = try TemporaryFolder()
        var plane = Image(channels: 1, height: 8, width: 10)
        for i in plane.pixels.indices { plane.pixels[i] = Float(i) * 0.5 - 3 }
        plane.pixels[7] = .nan
        var cube = Image(channels: 3, height: 6, width: 5)
        for i in cube.pixels.indices { cube.pixels[i] = Float(i * i % 17) }
        try FITSCodec.write([FITSWriteHDU(image: plane, bitpix: 16, bscale: 0.5, bzero: 10, blank: -32768)], to: dir.file("a.fits"))
        try FITSCodec.write([FITSWriteHDU(image: nil), FITSWriteHDU(image: cube, name: "SCI")], to: dir.file("b.fits"))
        let seeds = [try FileIO.read(dir.file("a.fits")), try FileIO.read(dir.file("b.fits"))]
        let r = Self.run("FITS", seeds: seeds, stream: 3) { try FITSCodec.decode($0, limits: Self.limits).image }
        #expect(r.decoded > 100 && r.rejected > 100)
    }
}
