import Foundation
import Testing
@testable import Framework

/// A folder under the system temporary directory, removed when the value is released.
private final class Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("zoorun-safetensors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes raw bytes and returns the path.
    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    var contents: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }
}

/// A file from a header written out by hand: the 8-byte length (the JSON's own unless
/// `declaredLength` overrides it), the JSON, then `data`.
private func fileBytes(_ header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
    let json = Array(header.utf8)
    let length = declaredLength ?? UInt64(json.count)
    return withUnsafeBytes(of: length.littleEndian) { Array($0) } + json + data
}

/// Little-endian bytes of float values.
private func f32Bytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
}

/// Little-endian bytes of 16-bit patterns.
private func u16Bytes(_ values: [UInt16]) -> [UInt8] {
    values.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } }
}

@Suite("safetensors reading and writing")
struct SafeTensorsTests {
    @Test func roundTripF32AndI64WithMetadata() throws {
        let scratch = try Scratch()
        let path = scratch.path("model.safetensors")
        var rng = RandomGenerator(seed: 7)
        let weight = (0..<(4 * 3 * 3 * 3)).map { _ in rng.normal() }
        let entries = [
            SafeTensorsEntry(name: "layer1.0.conv1.weight", shape: [4, 3, 3, 3], values: weight),
            SafeTensorsEntry(name: "bn1.num_batches_tracked", dtype: .I64, shape: [], values: [16_777_216]),
            SafeTensorsEntry(name: "fc.bias", shape: [3], values: [-0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]),
            SafeTensorsEntry(name: "empty", shape: [0, 5], values: []),
            SafeTensorsEntry(name: "odd \"name\"\n\\ café 🚀", shape: [1], values: [.infinity]),
        ]
        let metadata = ["format": "pt", "epoch": "3", "quote\"d\tkey": "line\nbreak \u{1} é"]
        try SafeTensors.write(entries, metadata: metadata, to: path)

        let file = try SafeTensors.read(path: path)
        #expect(file.metadata == metadata)
        #expect(file.names == entries.map(\.name).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        for entry in entries {
            let back = try #require(file.entries[entry.name])
            #expect(back.dtype == entry.dtype)
            #expect(back.shape == entry.shape)
            #expect(back.values.map(\.bitPattern) == entry.values.map(\.bitPattern), "\(entry.name)")
        }
        let tracked = try file.tensor("bn1.num_batches_tracked")
        #expect(tracked.shape == [] && tracked.storage == [16_777_216])

        // Layout as the reference writer makes it: header padded to 8, tensors by name, contiguous.
        let header = try SafeTensors.readHeader(path: path)
        #expect(header.dataStart % 8 == 0)
        #expect(header.tensors.map(\.name) == file.names)
        let raw = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let json = raw[8..<header.dataStart]
        let closing = try #require(json.lastIndex(of: UInt8(ascii: "}")))
        #expect(json.first == UInt8(ascii: "{"))
        #expect(json[(closing + 1)...].allSatisfy { $0 == UInt8(ascii: " ") } && header.dataStart - 1 - closing < 8)
    }

    @Test("F16 bit patterns", arguments: [
        (UInt16(0x3C00), Float(1.0)), (0xC000, -2.0), (0x7BFF, 65504.0), (0x0001, 0x1p-24),
        (0x03FF, 1023 * 0x1p-24), (0x0400, 0x1p-14), (0x3555, 0.333251953125), (0x7C00, .infinity),
        (0xFC00, -.infinity), (0x0000, 0.0),
    ] as [(UInt16, Float)])
    func halfDecoding(_ pattern: (UInt16, Float)) {
        #expect(Float(halfBits: pattern.0) == pattern.1)
    }

    @Test func halfSignsAndNaNs() {
        #expect(Float(halfBits: 0x8000).bitPattern == (-Float(0)).bitPattern)
        #expect(Float(halfBits: 0x8001) == -0x1p-24)
        #expect(Float(halfBits: 0x7E00).isNaN && !Float(halfBits: 0x7E00).isSignalingNaN)
        #expect(Float(halfBits: 0x7C01).isNaN)
        #expect(Float(halfBits: 0xFE00).isNaN && Float(halfBits: 0xFE00).sign == .minus)
    }

    #if !(os(macOS) && arch(x86_64))
    /// Every one of the 65,536 halves against the toolchain's own Float16 → Float conversion.
    @Test func halfDecodingMatchesFloat16Exhaustively() {
        var mismatches: [UInt16] = []
        for bits in UInt16.min...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let got = Float(halfBits: bits)
            let same = expected.isNaN ? got.isNaN && got.sign == expected.sign : got.bitPattern == expected.bitPattern
            if !same { mismatches.append(bits) }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5).map { String($0, radix: 16) })")
    }
    #endif

    @Test("BF16 bit patterns", arguments: [
        (UInt16(0x3F80), Float(1.0)), (0xC000, -2.0), (0x477F, 65280.0), (0x0001, 0x1p-133),
        (0x7F7F, 0x1.FEp127), (0x7F80, .infinity), (0xFF80, -.infinity), (0x3E80, 0.25),
    ] as [(UInt16, Float)])
    func bfloat16Decoding(_ pattern: (UInt16, Float)) {
        #expect(Float(bfloat16Bits: pattern.0) == pattern.1)
    }

    @Test func halfAndBFloat16TensorsDecodeFromAFile() throws {
        let scratch = try Scratch()
        let half: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x7E00]
        let brain: [UInt16] = [0x3F80, 0xC000, 0x0001, 0xFF80]
        let json = #"{"h":{"dtype":"F16","shape":[2,3],"data_offsets":[0,12]},"b":{"dtype":"BF16","shape":[4],"data_offsets":[12,20]}}"#
        let path = try scratch.file("half.safetensors", fileBytes(json, data: u16Bytes(half) + u16Bytes(brain)))
        let file = try SafeTensors.read(path: path)
        let h = try #require(file.entries["h"])
        #expect(h.dtype == .F16 && h.shape == [2, 3])
        #expect(Array(h.values.prefix(5)) == [1, -2, 65504, 0x1p-24, .infinity])
        #expect(h.values[5].isNaN)
        #expect(file.entries["b"]?.values == [1, -2, 0x1p-133, -.infinity])
    }

    @Test func integerAndF64TensorsWidenOrNarrow() throws {
        let scratch = try Scratch()
        var data: [UInt8] = []
        for v: Double in [0.1, -1e300] { withUnsafeBytes(of: v.bitPattern.littleEndian) { data += $0 } }
        for v: Int32 in [-7, 1 << 30] { withUnsafeBytes(of: v.littleEndian) { data += $0 } }
        for v: Int16 in [-300, 300] { withUnsafeBytes(of: v.littleEndian) { data += $0 } }
        data += [0xFF, 0x7F, 0xFF, 0x00, 0x00, 0x01, 0x02]  // I8 -1 127, U8 255 0, BOOL 0 1 2
        let json = """
        {"d":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},"i":{"dtype":"I32","shape":[2],"data_offsets":[16,24]},\
        "s":{"dtype":"I16","shape":[2],"data_offsets":[24,28]},"c":{"dtype":"I8","shape":[2],"data_offsets":[28,30]},\
        "u":{"dtype":"U8","shape":[2],"data_offsets":[30,32]},"t":{"dtype":"BOOL","shape":[3],"data_offsets":[32,35]}}
        """
        let file = try SafeTensors.read(path: try scratch.file("ints.safetensors", fileBytes(json, data: data)))
        #expect(file.entries["d"]?.values == [Float(0.1), -.infinity])
        #expect(file.entries["i"]?.values == [-7, 1_073_741_824])
        #expect(file.entries["s"]?.values == [-300, 300])
        #expect(file.entries["c"]?.values == [-1, 127])
        #expect(file.entries["u"]?.values == [255, 0])
        #expect(file.entries["t"]?.values == [0, 1, 1])
    }

    /// A file assembled byte by byte, read back, and reproduced exactly by the writer.
    @Test func byteExactFixture() throws {
        let json = #"{"__metadata__":{"format":"pt"},"bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"steps":{"dtype":"I64","shape":[],"data_offsets":[8,16]}}"#
        #expect(json.utf8.count == 145)
        let fixture: [UInt8] = [0x98, 0, 0, 0, 0, 0, 0, 0]  // 145 + 7 spaces of padding = 152
            + Array(json.utf8) + Array("       ".utf8)
            + [0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0x80, 0xBE]  // 1.5, -0.25
            + [0x2C, 0x01, 0, 0, 0, 0, 0, 0]  // 300
        let scratch = try Scratch()
        let path = try scratch.file("fixture.safetensors", fixture)
        let file = try SafeTensors.read(path: path)
        #expect(file.metadata == ["format": "pt"])
        #expect(file.entries["bias"] == SafeTensorsEntry(name: "bias", shape: [2], values: [1.5, -0.25]))
        #expect(file.entries["steps"] == SafeTensorsEntry(name: "steps", dtype: .I64, shape: [], values: [300]))

        let rewritten = scratch.path("rewritten.safetensors")
        try SafeTensors.write([file.entries["steps"]!, file.entries["bias"]!], metadata: file.metadata, to: rewritten)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: rewritten))) == fixture)
    }

    /// The layout PyTorch's `safetensors.torch.save_file` gives a BatchNorm state dict: the
    /// I64 counter first (the reference writer groups by dtype), metadata first in the JSON,
    /// header padded with spaces.
    @Test func pytorchBatchNormLayout() throws {
        let json = """
        {"__metadata__":{"format":"pt"},"bn1.num_batches_tracked":{"dtype":"I64","shape":[],"data_offsets":[0,8]},\
        "bn1.bias":{"dtype":"F32","shape":[3],"data_offsets":[8,20]},\
        "bn1.running_mean":{"dtype":"F32","shape":[3],"data_offsets":[20,32]},\
        "bn1.running_var":{"dtype":"F32","shape":[3],"data_offsets":[32,44]},\
        "bn1.weight":{"dtype":"F32","shape":[3],"data_offsets":[44,56]}}
        """
        let padded = json + String(repeating: " ", count: (8 - json.utf8.count % 8) % 8)
        let counter: [UInt8] = [0x07, 0, 0, 0, 0, 0, 0, 0]
        let data = counter + f32Bytes([0.1, -0.2, 0.3]) + f32Bytes([0.5, 0, -0.5]) + f32Bytes([1, 2, 3]) + f32Bytes([1, 1, 0.9])
        let scratch = try Scratch()
        let path = try scratch.file("bn.safetensors", fileBytes(padded, data: data))

        let file = try SafeTensors.read(path: path)
        #expect(file.names == ["bn1.bias", "bn1.num_batches_tracked", "bn1.running_mean", "bn1.running_var", "bn1.weight"])
        let tracked = try file.tensor("bn1.num_batches_tracked")
        #expect(tracked.shape == [])
        #expect(try tracked.item() == 7)
        #expect(file.entries["bn1.num_batches_tracked"]?.dtype == .I64)
        #expect(try file.tensor("bn1.running_var").storage == [1, 2, 3])
        #expect(try file.tensor("bn1.weight").storage == [1, 1, 0.9])

        // Written back, the counter stays I64 and every value survives.
        let copy = scratch.path("copy.safetensors")
        try SafeTensors.write(Array(file.entries.values), metadata: file.metadata, to: copy)
        let header = try SafeTensors.readHeader(path: copy)
        #expect(header.tensors.first { $0.name == "bn1.num_batches_tracked" }?.dtype == .I64)
        #expect(try SafeTensors.read(path: copy).entries == file.entries)
    }

    @Test func missingTensorNamesFileAndTensor() throws {
        let scratch = try Scratch()
        let path = scratch.path("one.safetensors")
        try SafeTensors.write([SafeTensorsEntry(name: "a", shape: [1], values: [1])], to: path)
        let error = try #require(throws: SafeTensorsError.self) { try SafeTensors.read(path: path).tensor("fc.weight") }
        #expect(error.kind == .missingTensor)
        #expect(error.description == "\(path): tensor 'fc.weight': not in the file, which holds 1 tensors")
    }

    @Test func writerRejectsWhatItCannotStore() throws {
        let scratch = try Scratch()
        let path = scratch.path("bad.safetensors")
        let cases: [([SafeTensorsEntry], String)] = [
            ([SafeTensorsEntry(name: "h", dtype: .F16, shape: [1], values: [1])], "tensor 'h': dtype F16 cannot be written"),
            ([SafeTensorsEntry(name: "n", dtype: .I64, shape: [2], values: [1, 1.5])], "tensor 'n': value 1.5 at index 1 is not an integer"),
            ([SafeTensorsEntry(name: "n", dtype: .I64, shape: [1], values: [.nan])], "tensor 'n': value nan at index 0"),
            ([SafeTensorsEntry(name: "w", shape: [2, 2], values: [1, 2, 3])], "tensor 'w': shape [2, 2] does not hold the 3 values"),
            ([SafeTensorsEntry(name: "w", shape: [1], values: [1]), SafeTensorsEntry(name: "w", shape: [1], values: [2])],
             "tensor 'w': appears twice"),
            ([SafeTensorsEntry(name: "__metadata__", shape: [1], values: [1])], "name is reserved"),
        ]
        for (entries, fragment) in cases {
            let error = try #require(throws: SafeTensorsError.self) { try SafeTensors.write(entries, to: path) }
            #expect(error.kind == .unwritable)
            #expect(error.description.contains(path) && error.description.contains(fragment), "\(error)")
        }
        #expect(scratch.contents.isEmpty, "a failed write leaves nothing behind")
    }

    @Test func atomicWriteReplacesAndLeavesNoTemporaryFile() throws {
        let scratch = try Scratch()
        let path = scratch.path("checkpoint.safetensors")
        try SafeTensors.write([SafeTensorsEntry(name: "old", shape: [3], values: [1, 2, 3])], to: path)
        try SafeTensors.write([SafeTensorsEntry(name: "new", shape: [1], values: [4])], metadata: ["epoch": "2"], to: path)
        let file = try SafeTensors.read(path: path)
        #expect(file.names == ["new"] && file.metadata == ["epoch": "2"])
        #expect(scratch.contents == ["checkpoint.safetensors"])

        // A write that fails partway (an I64 value that is not an integer) keeps the old file.
        let bad = [SafeTensorsEntry(name: "a", shape: [1], values: [5]), SafeTensorsEntry(name: "z", dtype: .I64, shape: [1], values: [0.5])]
        #expect(throws: SafeTensorsError.self) { try SafeTensors.write(bad, to: path) }
        #expect(try SafeTensors.read(path: path).names == ["new"])
        #expect(scratch.contents == ["checkpoint.safetensors"])

        // A folder that does not exist is an error naming the path, not a crash.
        let nowhere = scratch.path("missing/checkpoint.safetensors")
        let error = try #require(throws: SafeTensorsError.self) {
            try SafeTensors.write([SafeTensorsEntry(name: "a", shape: [1], values: [5])], to: nowhere)
        }
        #expect(error.kind == .io && error.description.hasPrefix(nowhere))
    }

    @Test func unreadablePathsAreErrors() throws {
        let scratch = try Scratch()
        for (path, fragment) in [(scratch.path("absent.safetensors"), "no such file"), (scratch.url.path, "is a directory")] {
            let error = try #require(throws: SafeTensorsError.self) { try SafeTensors.read(path: path) }
            #expect(error.kind == .io && error.description.hasPrefix(path) && error.description.contains(fragment), "\(error)")
        }
    }

    // MARK: - Hostile files

    @Test("hostile files fail with a message naming file and tensor", arguments: HostileCase.all)
    func hostileFile(_ hostile: HostileCase) throws {
        let scratch = try Scratch()
        let path = try scratch.file("weights.safetensors", hostile.bytes)
        for read in [{ _ = try SafeTensors.read(path: path) }, { _ = try SafeTensors.readHeader(path: path) }] {
            let error = try #require(throws: SafeTensorsError.self) { try read() }
            #expect(error.kind == hostile.kind, "\(error)")
            #expect(error.tensor == hostile.tensor, "\(error)")
            let prefix = hostile.tensor.map { "\(path): tensor '\($0)': " } ?? "\(path): "
            #expect(error.description.hasPrefix(prefix), "\(error)")
            #expect(error.description.contains(hostile.fragment), "\(error)")
        }
    }

    /// Files that are valid although unusual: pretty-printed headers, unknown per-tensor fields
    /// (ignored, as the reference implementation ignores them), `null` metadata, escaped names.
    @Test func unusualButValidHeaders() throws {
        let scratch = try Scratch()
        let json = """
        {
          "__metadata__" : null,
          "caf\\u00e9 \\ud83d\\ude80" : { "shape" : [ ], "data_offsets" : [ 0 , 4 ], "dtype" : "F32", "extra": {"a": [1, 2.5e3, true, null]} },
          "z" : {"dtype":"U8","shape":[0],"data_offsets":[4,4]}
        }\t\r\n
        """
        let file = try SafeTensors.read(path: try scratch.file("pretty.safetensors", fileBytes(json, data: f32Bytes([2]))))
        #expect(file.names == ["café 🚀", "z"])
        #expect(file.metadata.isEmpty)
        #expect(file.entries["café 🚀"]?.values == [2])
        #expect(file.entries["z"]?.values == [])

        let rank64 = "[" + Array(repeating: "1", count: SafeTensorsHeader.maxRank).joined(separator: ",") + "]"
        let deep = try SafeTensors.read(path: try scratch.file("deep.safetensors", fileBytes(#"{"w":{"dtype":"F32","shape":\#(rank64),"data_offsets":[0,4]}}"#, data: f32Bytes([3]))))
        #expect(deep.entries["w"]?.shape.count == 64 && deep.entries["w"]?.values == [3])
    }

    /// Random byte flips, overwrites, truncations and insertions of a valid file, from a fixed
    /// seed: every read either succeeds with self-consistent tensors or throws SafeTensorsError.
    @Test func seededMutationFuzz() throws {
        let scratch = try Scratch()
        let original = scratch.path("original.safetensors")
        try SafeTensors.write([
            SafeTensorsEntry(name: "conv.weight", shape: [2, 1, 3, 3], values: (0..<18).map { Float($0) / 7 }),
            SafeTensorsEntry(name: "bn.running_var", shape: [2], values: [1, 2]),
            SafeTensorsEntry(name: "bn.num_batches_tracked", dtype: .I64, shape: [], values: [42]),
        ], metadata: ["format": "pt"], to: original)
        let valid = try [UInt8](Data(contentsOf: URL(fileURLWithPath: original)))
        let dataStart = try SafeTensors.readHeader(path: original).dataStart
        let interesting = Array(#"{}[]",:-0123456789.eE "#.utf8) + [0x00, 0x7F, 0x80, 0xFF]

        var rng = RandomGenerator(seed: 20_240_611)
        let path = scratch.path("mutant.safetensors")
        var accepted = 0
        var rejected: [SafeTensorsError.Kind: Int] = [:]
        for _ in 0..<2_000 {
            var bytes = valid
            var headerEnd = dataStart
            for _ in 0..<(1 + Int(rng.next() % 3)) where !bytes.isEmpty {
                // Most edits land in the length prefix and the JSON, where the parsing happens.
                let span = rng.uniform() < 0.85 ? min(headerEnd, bytes.count) : bytes.count
                let at = Int(rng.next() % UInt64(span))
                switch rng.next() % 5 {
                case 0: bytes[at] ^= UInt8(1 + rng.next() % 255)
                case 1: bytes[at] = interesting[Int(rng.next() % UInt64(interesting.count))]
                case 2: bytes.removeSubrange(at...)
                case 3:
                    bytes.insert(interesting[Int(rng.next() % UInt64(interesting.count))], at: at)
                    if at < headerEnd { headerEnd += 1 }
                default:
                    bytes.remove(at: at)
                    if at < headerEnd { headerEnd -= 1 }
                }
            }
            // Half the time, make the length prefix agree with the edited JSON so that the
            // mutations reach the checks behind the JSON parser.
            if rng.next() % 2 == 0, bytes.count >= max(headerEnd, 8) {
                withUnsafeBytes(of: UInt64(headerEnd - 8).littleEndian) { bytes.replaceSubrange(0..<8, with: $0) }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let file = try SafeTensors.read(path: path)
                for entry in file.entries.values {
                    #expect(Shape.count(entry.shape) == entry.values.count, "\(entry.name) \(entry.shape)")
                }
                accepted += 1
            } catch let error as SafeTensorsError {
                #expect(error.description.hasPrefix(path))
                rejected[error.kind, default: 0] += 1
            } catch {
                Issue.record("not a SafeTensorsError: \(error)")
            }
        }
        // The mutations reach both outcomes and many distinct checks.
        #expect(accepted > 0)
        #expect(rejected.count >= 6, "\(rejected)")
    }
}

/// A malformed file and the error it must produce.
struct HostileCase: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    let kind: SafeTensorsError.Kind
    let tensor: String?
    let fragment: String

    var testDescription: String { name }

    init(_ name: String, _ bytes: [UInt8], _ kind: SafeTensorsError.Kind, tensor: String? = nil, _ fragment: String) {
        self.name = name
        self.bytes = bytes
        self.kind = kind
        self.tensor = tensor
        self.fragment = fragment
    }

    /// A header of one or two F32 tensors with the given shape and offsets text.
    private static func f32(_ name: String, _ shape: String, _ offsets: String, dtype: String = "F32") -> String {
        #""\#(name)":{"dtype":"\#(dtype)","shape":\#(shape),"data_offsets":\#(offsets)}"#
    }

    static let all: [HostileCase] = [
        HostileCase("empty file", [], .headerLength, "file is 0 bytes, too short for the 8-byte header length"),
        HostileCase("7-byte file", [2, 0, 0, 0, 0, 0, 0], .headerLength, "file is 7 bytes, too short"),
        HostileCase("header length beyond the file", fileBytes("{}", declaredLength: 1000), .headerLength,
                    "header length 1000 runs past the end of the file (10 bytes, so at most 2)"),
        HostileCase("header length 2^63", fileBytes("{}", declaredLength: 1 << 63), .headerLength,
                    "header length 9223372036854775808 exceeds the limit of 100000000 bytes"),
        HostileCase("header length just over 100 MB", fileBytes("{}", declaredLength: 100_000_001), .headerLength,
                    "header length 100000001 exceeds the limit"),
        HostileCase("invalid JSON", fileBytes(#"{"w":{"dtype":"F32",}}"#), .headerSyntax,
                    "header is not valid JSON: expected a string key at byte 20 of the header"),
        HostileCase("JSON cut short", fileBytes(#"{"w":"#), .headerSyntax, "expected a value, found the end of the text at byte 5"),
        HostileCase("text after the JSON", fileBytes(#"{} {}"#), .headerSyntax, "unexpected '{' after the end of the value at byte 3"),
        HostileCase("JSON not an object", fileBytes("[1,2]"), .headerSchema, "header is a JSON array, not an object"),
        HostileCase("tensor entry not an object", fileBytes(#"{"w":[1]}"#), .headerSchema, tensor: "w",
                    "entry is a JSON array, not an object"),
        HostileCase("invalid UTF-8 in a name", [7, 0, 0, 0, 0, 0, 0, 0] + Array(#"{""#.utf8) + [0xFF] + Array(#"":1}"#.utf8),
                    .headerSyntax, "string is not valid UTF-8 at byte 1"),
        HostileCase("lone surrogate", fileBytes(#"{"\ud800x":1}"#), .headerSyntax, "unpaired surrogate \\ud800"),
        HostileCase("nesting bomb in an ignored field",
                    fileBytes(#"{"w":{"x":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}}"),
                    .headerSyntax, "nested deeper than 64 levels"),
        HostileCase("unknown dtype", fileBytes("{\(f32("w", "[1]", "[0,1]", dtype: "F8_E4M3"))}", data: [0]), .unknownDType,
                    tensor: "w", "unknown dtype 'F8_E4M3' (known: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)"),
        HostileCase("dtype not a string", fileBytes(#"{"w":{"dtype":4,"shape":[],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
                    .headerSchema, tensor: "w", "'dtype' is a JSON number, not a string"),
        HostileCase("missing data_offsets", fileBytes(#"{"w":{"dtype":"F32","shape":[1]}}"#), .headerSchema, tensor: "w",
                    "entry lacks 'data_offsets'"),
        HostileCase("negative shape", fileBytes("{\(f32("w", "[2,-3]", "[0,24]"))}", data: .init(repeating: 0, count: 24)),
                    .invalidShape, tensor: "w", "shape [2, -3] has negative dimension -3"),
        HostileCase("fractional shape", fileBytes("{\(f32("w", "[2.5]", "[0,8]"))}"), .headerSchema, tensor: "w",
                    "'shape' holds 2.5, not an integer"),
        HostileCase("shape entry beyond 64 bits", fileBytes("{\(f32("w", "[18446744073709551616]", "[0,4]"))}"),
                    .invalidShape, tensor: "w", "'shape' entry 18446744073709551616 does not fit in 64 bits"),
        HostileCase("shape product overflow", fileBytes("{\(f32("w", "[1099511627776,1099511627776]", "[0,4]"))}"),
                    .invalidShape, tensor: "w", "shape [1099511627776, 1099511627776] has more elements than fit in 64 bits"),
        HostileCase("byte count overflow", fileBytes("{\(f32("w", "[4611686018427387904]", "[0,8]", dtype: "F64"))}"),
                    .invalidShape, tensor: "w", "F64 × [4611686018427387904] needs more bytes than fit in 64 bits"),
        HostileCase("offsets out of range", fileBytes("{\(f32("w", "[100]", "[0,400]"))}", data: .init(repeating: 0, count: 16)),
                    .invalidOffsets, tensor: "w", "data_offsets [0, 400] run past the data section, which holds 16 bytes"),
        HostileCase("offsets reversed", fileBytes("{\(f32("w", "[2]", "[8,0]"))}", data: .init(repeating: 0, count: 8)),
                    .invalidOffsets, tensor: "w", "data_offsets [8, 0] are reversed"),
        HostileCase("negative offsets", fileBytes("{\(f32("w", "[2]", "[-8,0]"))}"), .invalidOffsets, tensor: "w",
                    "data_offsets [-8, 0] are negative"),
        HostileCase("three offsets", fileBytes("{\(f32("w", "[1]", "[0,4,8]"))}"), .invalidOffsets, tensor: "w",
                    "'data_offsets' holds more than 2 integers"),
        HostileCase("one offset", fileBytes("{\(f32("w", "[1]", "[0]"))}"), .invalidOffsets, tensor: "w",
                    "data_offsets [0] must hold 2 integers"),
        HostileCase("65 dimensions", fileBytes("{\(f32("w", "[" + Array(repeating: "1", count: 65).joined(separator: ",") + "]", "[0,4]"))}"),
                    .invalidShape, tensor: "w", "'shape' holds more than 64 integers"),
        HostileCase("byte length inconsistent with dtype and shape",
                    fileBytes("{\(f32("layer1.0.conv1.weight", "[3,3,3,3]", "[0,100]"))}", data: .init(repeating: 0, count: 100)),
                    .invalidOffsets, tensor: "layer1.0.conv1.weight",
                    "data_offsets [0, 100] hold 100 bytes but F32 × [3, 3, 3, 3] needs 324"),
        HostileCase("two overlapping tensors",
                    fileBytes("{\(f32("a", "[2]", "[0,8]")),\(f32("b", "[2]", "[4,12]"))}", data: .init(repeating: 0, count: 12)),
                    .overlap, tensor: "b", "data_offsets [4, 12] overlap tensor 'a' at [0, 8]"),
        HostileCase("two tensors on the same bytes",
                    fileBytes("{\(f32("b", "[2]", "[0,8]")),\(f32("a", "[2]", "[0,8]"))}", data: .init(repeating: 0, count: 8)),
                    .overlap, tensor: "b", "data_offsets [0, 8] overlap tensor 'a' at [0, 8]"),
        HostileCase("gap between tensors",
                    fileBytes("{\(f32("a", "[1]", "[0,4]")),\(f32("b", "[1]", "[8,12]"))}", data: .init(repeating: 0, count: 12)),
                    .uncoveredBytes, tensor: "b", "leave bytes [4, 8) of the data section to no tensor after tensor 'a'"),
        HostileCase("trailing bytes", fileBytes("{\(f32("a", "[1]", "[0,4]"))}", data: .init(repeating: 0, count: 8)),
                    .uncoveredBytes, tensor: "a", "the data section holds 8 bytes but the last tensor ends at 4"),
        HostileCase("data but no tensors", fileBytes("{}", data: [1, 2, 3]), .uncoveredBytes,
                    "the data section holds 3 bytes but the header declares no tensors"),
        HostileCase("truncated file", Array(fileBytes("{\(f32("w", "[4]", "[0,16]"))}", data: f32Bytes([1, 2, 3, 4])).dropLast(3)),
                    .invalidOffsets, tensor: "w", "data_offsets [0, 16] run past the data section, which holds 13 bytes (is the file truncated?)"),
        HostileCase("duplicate tensor", fileBytes("{\(f32("a", "[1]", "[0,4]")),\(f32("a", "[1]", "[0,4]"))}", data: [0, 0, 0, 0]),
                    .headerSchema, tensor: "a", "appears twice in the header"),
        HostileCase("metadata value not a string", fileBytes(#"{"__metadata__":{"epoch":3}}"#), .headerSchema,
                    "'__metadata__' key 'epoch' holds a JSON number, not a string"),
    ]
}

@Suite("zoorun weights table")
struct SafeTensorsTableTests {
    @Test func tableListsTensorsByNameWithTotal() throws {
        let scratch = try Scratch()
        let path = scratch.path("net.safetensors")
        try SafeTensors.write([
            SafeTensorsEntry(name: "fc.weight", shape: [1000, 1200], values: [Float](repeating: 0, count: 1_200_000)),
            SafeTensorsEntry(name: "bn.num_batches_tracked", dtype: .I64, shape: [], values: [3]),
            SafeTensorsEntry(name: "bn.bias", shape: [12], values: [Float](repeating: 0, count: 12)),
        ], metadata: ["format": "pt"], to: path)
        let expected = """
        name                    dtype  shape         parameters
        bn.bias                 F32    [12]                  12
        bn.num_batches_tracked  I64    []                     1
        fc.weight               F32    [1000, 1200]   1,200,000
        -------------------------------------------------------
        total                                         1,200,013
        (3 tensors, 4,800,056 bytes of data)
        metadata format: pt

        """
        #expect(try SafeTensors.readHeader(path: path).table() == expected)
    }
}
