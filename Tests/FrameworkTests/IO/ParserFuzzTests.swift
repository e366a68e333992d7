import TestSupport
import Foundation
import Testing
@testable import Framework

/// Seeded mutations of valid text and binary inputs for the parsers the project owns: every
/// case must give a value or an error, never a crash or a hang. The same mutator and case
/// count as `DecoderFuzzTests` (`ZOO_FUZZ_CASES=N` for a longer campaign, as `make fuzz` runs).
@Suite("Parser mutation fuzz")
struct ParserFuzzTests {
    static var cases: Int { DecoderFuzzTests.casesPerFormat }

    /// Runs `parse` on `cases` mutations of the seeds; returns how many parsed and were rejected.
    static func run(_ name: String, seeds: [[UInt8]], stream: UInt64, parse: ([UInt8]) throws -> Void) -> (parsed: Int, rejected: Int) {
        var parsed = 0, rejected = 0
        for k in 0..<cases {
            var rng = RandomGenerator(seed: 0x5EED_F033, stream: stream &* 1_000_003 &+ UInt64(k))
            let bytes = DecoderFuzzTests.mutate(seeds[k % seeds.count], &rng)
            do {
                try parse(bytes)
                parsed += 1
            } catch {
                #expect(!"\(error)".isEmpty, "\(name) case \(k): an error must say something")
                rejected += 1
            }
        }
        print("fuzz \(name): \(cases) cases, \(parsed) parsed, \(rejected) rejected")
        return (parsed, rejected)
    }

    @Test func csvTables() {
        let seeds = ["id_str,file_loc,ring\ng1,images/g1.png,1\n\"g,2\",\"a \"\"quoted\"\" b\",0\r\n", "a,b\n1,2\n3,\n"].map { Array($0.utf8) }
        let r = Self.run("CSV", seeds: seeds, stream: 11) { bytes in
            let t = try CSVTable(parsing: bytes)
            #expect(t.rows.allSatisfy { $0.count == t.header.count })
        }
        #expect(r.parsed > 50 && r.rejected > 50)
    }

    @Test func boxFilesCSVAndCOCO() throws {
        let dir = try TemporaryFolder("fuzz-boxes")
        let csv = "id_str,label,x_min,y_min,x_max,y_max\ng1,clump,1,2,5,6\ng1,clump,10,10,12,14.5\ng2,1,0,0,3,3\n"
        let coco = #"{"images":[{"id":1,"file_name":"images/g1.png","width":8,"height":6}],"categories":[{"id":1,"name":"clump"}],"annotations":[{"image_id":1,"category_id":1,"bbox":[1,1,2,2]}]}"#
        let csvResult = Self.run("boxes CSV", seeds: [Array(csv.utf8)], stream: 12) { bytes in
            try dir.write("boxes.csv", bytes)
            let table = try BoxTable.readCSV(path: dir.file("boxes.csv"))
            #expect(table.boxes.values.joined().allSatisfy { $0.x2 > $0.x1 && $0.y2 > $0.y1 })
        }
        let cocoResult = Self.run("boxes COCO", seeds: [Array(coco.utf8)], stream: 13) { bytes in
            try dir.write("boxes.json", bytes)
            _ = try BoxTable.readCOCO(path: dir.file("boxes.json"), fileNames: ["images/g1.png": "g1"])
        }
        #expect(csvResult.parsed > 20 && csvResult.rejected > 20 && cocoResult.rejected > 20)
    }

    @Test func safetensors() throws {
        let dir = try TemporaryFolder("fuzz-safetensors")
        let path = dir.file("seed.safetensors")
        try SafeTensors.write([SafeTensorsEntry(name: "w", shape: [2, 3], values: [1, 2, 3, 4, 5, 6]),
                               SafeTensorsEntry(name: "b", shape: [3], values: [0.5, -1, 2])], metadata: ["k": "v"], to: path)
        let seed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let r = Self.run("safetensors", seeds: [seed], stream: 14) { bytes in
            try dir.write("case.safetensors", bytes)
            let file = try SafeTensors.read(path: dir.file("case.safetensors"))
            for e in file.entries.values { #expect(e.values.count == e.shape.reduce(1, *)) }
        }
        #expect(r.parsed > 5 && r.rejected > 100)
    }

    /// Experiment files: YAML syntax and the strict decoding of the top-level sections, the
    /// sweep and `--set`-style paths (the components' own options are decoded when built).
    @Test func experimentConfigs() throws {
        let dir = try TemporaryFolder("fuzz-yaml")
        let seed = """
        name: fuzz
        seed: 3
        task: {kind: finetune}
        data:
          kind: simulated-galaxies
          count: 40
          simulator: {image_size: 32, features: {ring: 0.2}}
        backbone: {kind: compact}
        training: {epochs: 2, batch_size: 8, learning_rate: 0.001}
        sweep:
          seed: [1, 2]
        """
        let registry = Registry.simulatedForTests()
        let r = Self.run("YAML config", seeds: [Array(seed.utf8)], stream: 15) { bytes in
            let path = try dir.write("fuzz.yaml", bytes)
            _ = try Experiment.load(path: path, registry: registry)
        }
        #expect(r.parsed > 20 && r.rejected > 100)
    }

    /// Round trips with seeded random content: what a writer writes, its reader reads back
    /// exactly — cells with commas, quotes, line breaks and non-ASCII; tensors of any shape.
    @Test func csvAndSafetensorsRoundTrip() throws {
        let dir = try TemporaryFolder("roundtrip")
        let alphabet = Array("ab,\"\n\r z9-é✓".unicodeScalars)
        for k in 0..<200 {
            var rng = RandomGenerator(seed: 0x5EED_F055, stream: UInt64(k))
            let columns = 1 + Int(rng.next() % 5), rows = Int(rng.next() % 6)
            func cell() -> String { String(String.UnicodeScalarView((0..<Int(rng.next() % 6)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })) }
            let header = (0..<columns).map { "c\($0)_" + cell() }
            let table = CSVTable(header: header, rows: (0..<rows).map { _ in (0..<columns).map { _ in cell() } })
            try table.write(to: dir.file("t.csv"))
            let back = try CSVTable.read(path: dir.file("t.csv"))
            // Even an all-empty single-column row survives: the writer quotes it ("") so that
            // it is not the empty line the reader skips.
            #expect(back.header == table.header && back.rows == table.rows, "case \(k): \(table.rows) read back as \(back.rows)")

            let shape = (0..<(1 + Int(rng.next() % 3))).map { _ in 1 + Int(rng.next() % 4) }
            let values = (0..<shape.reduce(1, *)).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())) }.map { $0.isNaN ? 0 : $0 }
            try SafeTensors.write([SafeTensorsEntry(name: "t\(k)", shape: shape, values: values)], metadata: ["case": "\(k)"], to: dir.file("t.safetensors"))
            let file = try SafeTensors.read(path: dir.file("t.safetensors"))
            #expect(file.entries["t\(k)"]?.shape == shape && file.entries["t\(k)"]?.values == values && file.metadata["case"] == "\(k)", "case \(k)")
        }
    }
}

