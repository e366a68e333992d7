import TestSupport
import Foundation
import Testing
@testable import Framework

@Suite("What `zoorun inspect` reports")
struct InspectionTests {
    @Test func catalogSummaryAndBadRows() throws {
        let f = try CatalogFixture(header: "id_str,file_loc,ring,frac,kind",
                                   rows: ["g1,images/g1.png,1,0.25,spiral", "g2,images/g2.png,0,0.75,elliptical",
                                          "g3,images/g3.png,1,NaN,spiral", "g4,images/gone.png,2,0.5,spiral",
                                          "g5,images/bad.png,0,0.5,spiral"],
                                   pngs: CatalogDatasetTests.goodPNGs)
        try f.dir.write("images/bad.png", Array("garbage".utf8))
        let r = try Inspection.catalog(path: f.catalog)
        #expect(r.problems == 2)
        #expect(r.lines.contains("rows: 5 (3 usable, 2 bad)"))
        #expect(r.lines.contains("  ring: numeric, min 0, max 2, mean 0.8; classes: 0 × 2, 1 × 2, 2 × 1"))
        #expect(r.lines.contains("  frac: numeric, min 0.25, max 0.75, mean 0.5, 1 NaN/infinite"))
        #expect(r.lines.contains("  kind: text (2 distinct values)"))
        #expect(r.lines.contains { $0.hasPrefix("  data row 4 (file line 5), id_str g4, file_loc images/gone.png: image not found") })
        #expect(r.lines.contains { $0.hasPrefix("  data row 5 (file line 6), id_str g5, file_loc images/bad.png:") && $0.contains("PNG") })
    }

    @Test func catalogWhoseEveryImageIsBadListsThemAll() throws {
        let f = try CatalogFixture(rows: ["g1,images/x.png,1,1", "g2,images/y.png,0,1"])
        #expect(throws: DataError.self) { try CatalogDataset(catalog: f.catalog, options: CatalogOptions(onBadImage: .skip)) }
        let r = try Inspection.catalog(path: f.catalog)
        #expect(r.problems == 2)
        #expect(r.lines.contains("rows: 2 (0 usable, 2 bad)"))
    }

    @Test func structuralCatalogErrorsAreThrown() throws {
        let f = try CatalogFixture(rows: ["g1,images/g1.png,1,1", "g1,images/g2.png,1,1"], pngs: CatalogDatasetTests.goodPNGs)
        #expect(throws: DataError.self) { try Inspection.catalog(path: f.catalog) }
    }

    @Test func imageReportPerBandAfterScaling() throws {
        let dir = try TemporaryFolder()
        var cube = Image(channels: 2, height: 10, width: 10)
        for i in cube.pixels.indices { cube.pixels[i] = Float(i % 100) }
        cube.pixels[3] = .nan
        try FITSCodec.write([FITSWriteHDU(image: nil), FITSWriteHDU(image: cube, bitpix: -32, name: "SCI")], to: dir.file("c.fits"))
        let r = try Inspection.image(path: dir.file("c.fits"))
        #expect(r.lines[1] == "format: FITS (HDU 1, BITPIX -32)")
        #expect(r.lines[2] == "shape: 2 × 10 × 10 (bands × height × width)")
        #expect(r.lines[3].hasPrefix("values after scaling (percentiles 0.5–99.5, arcsinh softening 0.1)"))
        #expect(r.lines[4].hasPrefix("  band 0: min 0, max 1, mean ") && r.lines[4].hasSuffix("1.00 % missing pixels filled with the band median"))
        #expect(r.lines[5].hasPrefix("  band 1: min 0, max 1, mean ") && !r.lines[5].contains("missing"))
        let small = try Inspection.image(path: Fixtures.path("blocks-grey.jpg"), loader: ImageLoader(size: 4))
        #expect(small.lines[2] == "shape: 1 × 4 × 4 (bands × height × width), resized from 16 × 16")
        #expect(throws: (any Error).self) { try Inspection.image(path: dir.file("none.png")) }
        #expect(throws: ImageFileError.unknownFormat(path: "x.tiff")) { try Inspection.image(path: "x.tiff") }
    }
}
