import TestSupport
import Foundation
import Testing
@testable import Framework

@Suite("Catalog mask columns")
struct MaskedCatalogTests {
    /// Two galaxies; only the first has a bar mask (4×3, resized to the 8×6 image grid).
    func fixture() throws -> CatalogFixture {
        let f = try CatalogFixture(header: "id_str,file_loc,bar_mask_loc",
                                   rows: ["a,images/a.png,masks/a_bar.png", "b,images/b.png,"], pngs: ["images/a.png", "images/b.png"])
        var m = Image(channels: 1, height: 3, width: 4)
        for x in 0..<2 { for y in 0..<3 { m.pixels[y * 4 + x] = 1 } }
        _ = try f.dir.write("masks/a_bar.png", try PNGCodec.encode(m))
        return f
    }

    @Test func readsMasksOnTheImageGridAndLeavesEmptyCellsAbsent() throws {
        let f = try fixture()
        let d = try MaskedCatalog(CatalogDataset(catalog: f.catalog))
        #expect(d.maskColumns.keys.sorted() == ["bar"])
        let a = try d.example(at: 0), b = try d.example(at: 1)
        let bar = try #require(a.masks["bar"])
        #expect(bar.shape == [1, 6, 8])
        #expect(bar[0, 3, 0] == 1 && bar[0, 3, 7] == 0, "left half set, right half clear")
        #expect(b.masks.isEmpty, "an empty cell means no mask")
        let batch = try DataLoader(dataset: d, options: DataLoaderOptions(batchSize: 2, shuffle: false)).epoch(0).next()
        #expect(batch?.maskPresent["bar"] == [true, false])
    }

    @Test func badMasksNameTheirFileAndColumn() throws {
        let f = try fixture()
        #expect { _ = try MaskedCatalog(CatalogDataset(catalog: f.catalog), masks: ["spiral"]) } throws: { "\($0)".contains("spiral_mask_loc") }
        let counts = try CatalogFixture(header: "id_str,file_loc,bar_mask_loc", rows: ["a,images/a.png,masks/a.fits"], pngs: ["images/a.png"])
        var m = Image(channels: 1, height: 6, width: 8)
        m.pixels[0] = 15   // volunteer counts, not fractions
        try FileManager.default.createDirectory(atPath: counts.dir.file("masks"), withIntermediateDirectories: true)
        try FITSCodec.write(m, to: counts.dir.file("masks/a.fits"))
        let d = try MaskedCatalog(CatalogDataset(catalog: counts.catalog))
        #expect { _ = try d.example(at: 0) } throws: { "\($0)".contains("masks/a.fits") && "\($0)".contains("[0, 1]") }
    }
}
