import TestSupport
import Foundation
import Testing
@testable import Framework

@Suite("Catalog datasets (galaxy-datasets convention)")
struct CatalogDatasetTests {
    static let goodRows = ["g1,images/g1.png,1,12", "g2,images/g2.png,0,3", "g3,images/g3.png,1,40"]
    static let goodPNGs = ["images/g1.png", "images/g2.png", "images/g3.png"]

    @Test func readsLabelsVotesAndImages() throws {
        let f = try CatalogFixture(rows: Self.goodRows, pngs: Self.goodPNGs)
        let ds = try CatalogDataset(catalog: f.catalog,
                                    options: CatalogOptions(labelColumns: ["ring"], voteColumns: ["votes_a"], imageSize: 4))
        #expect(ds.count == 3)
        #expect((0..<3).map(ds.id(at:)) == ["g1", "g2", "g3"])
        let ex = try ds.example(at: 2)
        #expect(ex.id == "g3" && ex.labels == ["ring": 1] && ex.votes == ["votes_a": 40])
        #expect(ex.image.shape == [3, 4, 4])
        #expect(ds.entries[1].location == DataError.Location(catalog: f.catalog, row: 2, line: 3))
        #expect(ds.skipped.isEmpty)
        // Without a size, images keep their own.
        let raw = try CatalogDataset(catalog: f.catalog)
        #expect(try raw.example(at: 0).image.shape == [3, 6, 8])
    }

    /// Training reads every example's targets before the first epoch; for a catalog that
    /// must not decode (or even open) a single image.
    @Test func targetsComeFromTheTableWithoutReadingImages() throws {
        let f = try CatalogFixture(rows: Self.goodRows, pngs: Self.goodPNGs)
        let ds = try CatalogDataset(catalog: f.catalog, options: CatalogOptions(labelColumns: ["ring"], voteColumns: ["votes_a"], imageSize: 4))
        for png in Self.goodPNGs { try f.dir.write(png, [0x00, 0x01, 0x02]) }  // no longer images
        #expect(try ds.targets(at: 1).labels == ["ring": 0])
        #expect(try ds.targets(at: 2).votes == ["votes_a": 40])
        #expect(throws: DataError.self) { try ds.example(at: 1) }
    }

    /// `weight_column` weighs each galaxy's training loss; a bad weight names its row.
    @Test func weightsComeFromTheirColumnAndBadOnesNameTheRow() throws {
        let header = "id_str,file_loc,ring,weight"
        let f = try CatalogFixture(header: header, rows: ["g1,images/g1.png,1,2", "g2,images/g2.png,0,0", "g3,images/g3.png,1,0.5"],
                                   pngs: Self.goodPNGs)
        let ds = try CatalogDataset(catalog: f.catalog, options: CatalogOptions(labelColumns: ["ring"], weightColumn: "weight", imageSize: 4))
        #expect(try (0..<3).map { try ds.example(at: $0).weight } == [2, 0, 0.5])
        let loader = try DataLoader(dataset: ds, options: DataLoaderOptions(batchSize: 3, shuffle: false))
        #expect(try #require(try loader.epoch(0).next()).weights == [2, 0, 0.5])
        #expect(try CatalogDataset(catalog: f.catalog, options: CatalogOptions(imageSize: 4)).example(at: 0).weight == 1)
        for (cell, says) in [("-1", "not a weight"), ("inf", "not a weight"), ("nan", "not a weight"), ("", "empty value"), ("heavy", "not a number")] {
            let bad = try CatalogFixture(header: header, rows: ["g1,images/g1.png,1,1", "g2,images/g2.png,0,\(cell)"], pngs: Self.goodPNGs)
            #expect { try CatalogDataset(catalog: bad.catalog, options: CatalogOptions(weightColumn: "weight")) } throws: { e in
                "\(e)".contains("row 2") && "\(e)".contains("'weight'") && "\(e)".contains(says)
            }
        }
    }

    @Test func missingColumnsAreNamed() throws {
        let noID = try CatalogFixture(header: "name,file_loc", rows: ["a,images/a.png"])
        #expect(throws: DataError.missingColumn(catalog: noID.catalog, column: "id_str", available: ["name", "file_loc"])) {
            try CatalogDataset(catalog: noID.catalog)
        }
        let noFile = try CatalogFixture(header: "id_str,path", rows: ["a,images/a.png"])
        #expect(throws: DataError.missingColumn(catalog: noFile.catalog, column: "file_loc", available: ["id_str", "path"])) {
            try CatalogDataset(catalog: noFile.catalog)
        }
        let f = try CatalogFixture(rows: Self.goodRows, pngs: Self.goodPNGs)
        do {
            _ = try CatalogDataset(catalog: f.catalog, options: CatalogOptions(labelColumns: ["bar"]))
            Issue.record("missing label column accepted")
        } catch let e as DataError {
            #expect(e.description == "\(f.catalog): no column 'bar' (columns: id_str, file_loc, ring, votes_a)")
        }
    }

    @Test func duplicateIDNamesBothRows() throws {
        let f = try CatalogFixture(rows: ["g1,images/g1.png,1,1", "g2,images/g2.png,0,1", "g1,images/g3.png,1,1"],
                                   pngs: Self.goodPNGs)
        let first = DataError.Location(catalog: f.catalog, row: 1, line: 2)
        let second = DataError.Location(catalog: f.catalog, row: 3, line: 4)
        #expect(throws: DataError.duplicateID(id: "g1", first: first, second: second)) { try CatalogDataset(catalog: f.catalog) }
        let text = DataError.duplicateID(id: "g1", first: first, second: second).description
        #expect(text == "\(f.catalog): id_str 'g1' appears twice: data row 1 (file line 2) and data row 3 (file line 4)")
    }

    @Test func nonNumericLabelNamesRowLineAndColumn() throws {
        // A quoted multi-line id makes the data row and the file line differ.
        let f = try CatalogFixture(rows: ["\"g\n1\",images/g1.png,1,1", "g2,images/g2.png,yes,1"], pngs: Self.goodPNGs)
        do {
            _ = try CatalogDataset(catalog: f.catalog, options: CatalogOptions(labelColumns: ["ring"]))
            Issue.record("non-numeric label accepted")
        } catch let e as DataError {
            #expect(e == .nonNumeric(DataError.Location(catalog: f.catalog, row: 2, line: 4), column: "ring", value: "yes"))
            #expect(e.description.hasPrefix("\(f.catalog): data row 2 (file line 4), column 'ring': 'yes' is not a number"))
        }
        // NaN written as such is a value (the head judges it); an empty label cell is a galaxy
        // without that label, counted; an empty vote count is an error.
        let nan = try CatalogFixture(rows: ["g1,images/g1.png,NaN,1"], pngs: Self.goodPNGs)
        #expect(try CatalogDataset(catalog: nan.catalog, options: CatalogOptions(labelColumns: ["ring"])).entries[0].labels["ring"]!.isNaN)
        let empty = try CatalogFixture(rows: ["g1,images/g1.png,,", "g2,images/g2.png,1,3"], pngs: Self.goodPNGs)
        let unlabelled = try CatalogDataset(catalog: empty.catalog, options: CatalogOptions(labelColumns: ["ring"]))
        #expect(unlabelled.count == 2 && unlabelled.entries[0].labels["ring"]!.isNaN && unlabelled.missingLabels == ["ring": 1])
        #expect(throws: DataError.emptyValue(DataError.Location(catalog: empty.catalog, row: 1, line: 2), column: "votes_a")) {
            try CatalogDataset(catalog: empty.catalog, options: CatalogOptions(voteColumns: ["votes_a"]))
        }
    }

    @Test func missingImageStopsOrIsSkippedAndRecorded() throws {
        let f = try CatalogFixture(rows: Self.goodRows + ["g4,images/gone.png,0,1"], pngs: Self.goodPNGs)
        let loc = DataError.Location(catalog: f.catalog, row: 4, line: 5)
        let missing = f.dir.path + "/images/gone.png"
        #expect(throws: DataError.missingImage(loc, fileLoc: "images/gone.png", path: missing)) {
            try CatalogDataset(catalog: f.catalog)
        }
        let ds = try CatalogDataset(catalog: f.catalog, options: CatalogOptions(onBadImage: .skip))
        #expect(ds.count == 3)
        #expect(ds.skipped == [CatalogDataset.SkippedRow(row: 4, line: 5, id: "g4", fileLoc: "images/gone.png",
                                                         reason: "image not found: \(missing)")])
        try ds.writeSkipped(to: f.dir.file("skipped.csv"))
        let written = try CSVTable.read(path: f.dir.file("skipped.csv"))
        #expect(written.header == ["row", "line", "id_str", "file_loc", "reason"])
        #expect(written.rows == [["4", "5", "g4", "images/gone.png", "image not found: \(missing)"]])
    }

    @Test func unreadableImagesAreFoundWhenVerifying() throws {
        let f = try CatalogFixture(rows: Self.goodRows + ["g4,images/bad.png,0,1", "g5,images/empty.png,0,1"],
                                   pngs: Self.goodPNGs)
        try f.dir.write("images/bad.png", Array("this is not a png".utf8))
        try f.dir.write("images/empty.png", [])
        // Without verification the rows open, and decoding fails later naming the row.
        let lazy = try CatalogDataset(catalog: f.catalog)
        do {
            _ = try lazy.example(at: 3)
            Issue.record("bad image decoded")
        } catch let DataError.badImage(loc, path, _) {
            #expect(loc.row == 4 && path.hasSuffix("images/bad.png"))
        }
        #expect(throws: DataError.self) { try CatalogDataset(catalog: f.catalog, options: CatalogOptions(verifyImages: true)) }
        let ds = try CatalogDataset(catalog: f.catalog, options: CatalogOptions(onBadImage: .skip, verifyImages: true))
        #expect(ds.count == 3)
        #expect(ds.skipped.map(\.id) == ["g4", "g5"])
        #expect(ds.skipped[0].reason.contains("not a readable PNG"))
        #expect(ds.skipped[1].reason.contains("empty file"))
    }

    /// A truncated JPEG in a catalog is an error naming the row and file; with
    /// `on_bad_image: skip` it is left out and listed in skipped.csv.
    @Test func truncatedJPEGNamesTheRowOrIsSkipped() throws {
        let jpeg = try Fixtures.bytes("blocks-rgb.jpg")
        let f = try CatalogFixture(header: "id_str,file_loc", rows: ["g1,images/g1.png", "g2,images/half.jpg"],
                                   pngs: ["images/g1.png"])
        try f.dir.write("images/half.jpg", Array(jpeg.prefix(jpeg.count / 2)))
        let lazy = try CatalogDataset(catalog: f.catalog)
        #expect { _ = try lazy.example(at: 1) } throws: { e in
            "\(e)".contains("data row 2 (file line 3), column 'file_loc': cannot read image \(f.dir.path)/images/half.jpg")
                && "\(e)".contains("Premature end of JPEG file")
        }
        let yaml = "catalog: \(f.catalog)\nimage_size: 8\non_bad_image: skip\ntrain: 1\nval: 0\ntest: 0\n"
        let node = ConfigNode(node: try ConfigDecoder.parse(yaml, file: "data"), source: ConfigSource(file: "data", text: yaml))
        let run = f.dir.file("run")
        let source = try CatalogSource.make(options: node.decodeOptions(CatalogSource.Options.self),
                                            context: ComponentContext(seed: 0, runFolder: run, registry: Registry(), baseFolder: f.dir.path))
        #expect(source.dataset.count == 1)
        let skipped = try CSVTable.read(path: run + "/skipped.csv")
        #expect(skipped.rows.count == 1 && skipped.rows[0][2] == "g2" && skipped.rows[0][4].contains("Premature end of JPEG file"))
    }

    @Test func fileLocMayNotEscapeTheFolder() throws {
        let outside = try TemporaryFolder("outside")
        let secret = try outside.write("secret.png", try PNGCodec.encode(Image(channels: 1, height: 2, width: 2)))
        let f = try CatalogFixture(rows: ["g1,images/g1.png,1,1"], pngs: Self.goodPNGs)
        let cases = ["../\(URL(fileURLWithPath: outside.path).lastPathComponent)/secret.png", secret,
                     "images/../../x.png", "images/link.png"]
        try FileManager.default.createSymbolicLink(atPath: f.dir.file("images/link.png"), withDestinationPath: secret)
        for loc in cases {
            try f.dir.write("catalog.csv", text: "id_str,file_loc\ng1,\(loc)\n")
            do {
                _ = try CatalogDataset(catalog: f.catalog)
                Issue.record("\(loc) escaped the folder")
            } catch let e as DataError {
                guard case let .outsideFolder(where_, fileLoc, _) = e else { throw e }
                #expect(where_.row == 1 && fileLoc == loc)
                // The fix a user can apply: the YAML key and the inspect flag, not the Swift property.
                #expect(e.description.contains("set allow_outside_catalog_folder: true in the experiment's data section"))
                #expect(e.description.contains("--allow-outside-catalog-folder") && !e.description.contains("allowOutside"))
            }
            if loc != "images/../../x.png" {
                let allowed = try CatalogDataset(catalog: f.catalog, options: CatalogOptions(allowOutsideCatalogFolder: true))
                #expect(try allowed.example(at: 0).image.shape == [1, 2, 2], "\(loc)")
            }
        }
        // Absolute paths inside the folder and harmless `..` are fine.
        try f.dir.write("catalog.csv", text: "id_str,file_loc\ng1,\(f.dir.path)/images/g1.png\ng2,images/../images/g1.png\n")
        #expect(try CatalogDataset(catalog: f.catalog).count == 2)
    }

    @Test func fitsAndJPEGRowsLoadThroughTheSameCatalog() throws {
        let f = try CatalogFixture(header: "id_str,file_loc,ring", rows: [])
        var cube = Image(channels: 2, height: 5, width: 5)
        for i in cube.pixels.indices { cube.pixels[i] = Float(i % 25) * 3 + Float(i / 25) * 100 }
        try FITSCodec.write([FITSWriteHDU(image: nil), FITSWriteHDU(image: cube, name: "SCI")], to: f.dir.file("a.fits"))
        try FileManager.default.copyItem(atPath: Fixtures.path("blocks-rgb.jpg"), toPath: f.dir.file("b.jpg"))
        try f.dir.write("catalog.csv", text: "id_str,file_loc,ring\na,a.fits[SCI],1\nb,b.jpg,0\n")
        let ds = try CatalogDataset(catalog: f.catalog, options: CatalogOptions(labelColumns: ["ring"], imageSize: 8,
                                                                                  verifyImages: true))
        let a = try ds.example(at: 0).image
        #expect(a.shape == [2, 8, 8])
        #expect(a.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(a.pixels.max()! > 0.9 && a.pixels.min()! < 0.1)
        #expect(try ds.example(at: 1).image.shape == [3, 8, 8])
        // Band choice from the options reaches the FITS reader.
        let one = try CatalogDataset(catalog: f.catalog, options: CatalogOptions(fits: FITSReadOptions(bands: [1])))
        #expect(try one.example(at: 0).image.shape == [1, 5, 5])
    }

    @Test func optionsDecodeWithDefaults() throws {
        let json = #"{"labelColumns": ["ring"], "onBadImage": "skip", "fits": {"hdu": "SCI", "bands": [0, 2]}, "scaling": {"softening": 0.05}}"#
        let o = try JSONDecoder().decode(CatalogOptions.self, from: Data(json.utf8))
        #expect(o.labelColumns == ["ring"] && o.onBadImage == .skip && !o.allowOutsideCatalogFolder && o.imageSize == nil)
        #expect(o.fits == FITSReadOptions(hdu: .name("SCI"), bands: [0, 2]))
        #expect(o.scaling.softening == 0.05 && o.scaling.highPercentile == 99.5)
        let numbered = try JSONDecoder().decode(CatalogOptions.self, from: Data(#"{"fits": {"hdu": 1}}"#.utf8))
        #expect(numbered.fits.hdu == .index(1))
        #expect(throws: (any Error).self) { try JSONDecoder().decode(CatalogOptions.self, from: Data(#"{"imageSize": 0}"#.utf8)) }
    }
}
