import Foundation
import TestSupport
import Testing
@testable import Framework

/// Masks and boxes in catalogs: `<name>_mask_loc` columns, box CSV and COCO files, and the
/// simulator's export read back.
@Suite("Catalog masks and boxes", .serialized)
struct CatalogTargetsTests {
    /// A simulated catalog exported with its masks and boxes, at 32 px.
    static func exported(_ format: SimulatedGalaxies.CatalogImageFormat = .png) throws -> (TemporaryFolder, SimulatedGalaxies) {
        var options = SimulatorOptions()
        options.imageSize = 32
        options.features.clumps = 0.9
        if format == .fits { options.output = .bands }
        let data = try SimulatedGalaxies(seed: 11, count: 12, options: options)
        let dir = try TemporaryFolder("catalog-targets")
        try data.writeCatalog(to: dir.path, format: format)
        return (dir, data)
    }

    @Test(arguments: [SimulatedGalaxies.CatalogImageFormat.png, .fits])
    func simulatedMasksAndBoxesReadBackAsTheSimulatorMadeThem(_ format: SimulatedGalaxies.CatalogImageFormat) throws {
        let (dir, data) = try Self.exported(format)
        let catalog = try CatalogDataset(catalog: dir.file("catalog.csv"),
                                         options: CatalogOptions(masks: ["bar", "spiral_fraction"], boxes: "boxes.csv"))
        #expect(catalog.boxClasses == ["clump"] && catalog.maskNames == ["bar", "spiral_fraction"])
        var boxes = 0
        for i in 0..<catalog.count {
            let read = try catalog.example(at: i), truth = try data.example(at: i)
            #expect(read.id == truth.id)
            #expect(read.masks.keys.sorted() == ["bar", "spiral_fraction"])
            #expect(read.masks["bar"]?.pixels == truth.masks["bar"]?.pixels, "binary masks are exact")
            // PNG stores k/255; FITS the float itself.
            let worst = zip(read.masks["spiral_fraction"]!.pixels, truth.masks["spiral_fraction"]!.pixels).map { abs($0 - $1) }.max()!
            #expect(worst <= (format == .png ? 0.5 / 255 + 1e-6 : 0))
            #expect(read.boxes == truth.boxes)
            boxes += read.boxes.count
        }
        #expect(boxes > 0, "the export has clumps to compare")
    }

    /// GZ3D-style volunteer masks are exported when the simulator draws them.
    @Test func volunteerMasksAreExportedWhenSimulated() throws {
        var options = SimulatorOptions()
        options.imageSize = 32
        options.maskVolunteers = 5
        let data = try SimulatedGalaxies(seed: 3, count: 4, options: options)
        #expect(data.maskNames == ["bar", "bar_fraction", "spiral", "spiral_fraction", "bar_volunteers", "spiral_volunteers"])
        let dir = try TemporaryFolder("volunteer-masks")
        try data.writeCatalog(to: dir.path, format: .png)
        let catalog = try CatalogDataset(catalog: dir.file("catalog.csv"), options: CatalogOptions(masks: ["spiral_volunteers"]))
        for i in 0..<4 {
            let truth = try data.example(at: i).masks["spiral_volunteers"]!.pixels
            let read = try catalog.example(at: i).masks["spiral_volunteers"]!.pixels
            #expect(zip(read, truth).allSatisfy { abs($0 - $1) <= 0.5 / 255 + 1e-6 })
        }
    }

    @Test func resizingScalesBoxesAndMasksWithTheImage() throws {
        let (dir, data) = try Self.exported()
        let catalog = try CatalogDataset(catalog: dir.file("catalog.csv"),
                                         options: CatalogOptions(masks: ["spiral"], boxes: "boxes.csv", imageSize: 16))
        let i = try #require((0..<data.count).first { try data.example(at: $0).boxes.count > 0 })
        let read = try catalog.example(at: i), truth = try data.example(at: i)
        #expect(read.image.width == 16 && read.masks["spiral"]?.width == 16)
        #expect(read.boxes == truth.boxes.map { BoundingBox(x1: $0.x1 / 2, y1: $0.y1 / 2, x2: $0.x2 / 2, y2: $0.y2 / 2, label: 1) })
    }

    @Test func anEmptyMaskCellIsAGalaxyWithoutThatMask() throws {
        let f = try CatalogFixture(header: "id_str,file_loc,bar_mask_loc", rows: ["g1,images/g1.png,masks/g1.png", "g2,images/g2.png,"],
                                   pngs: ["images/g1.png", "images/g2.png"])
        var mask = Image(channels: 1, height: 6, width: 8)
        mask.pixels[3] = 1
        try f.dir.write("masks/g1.png", try PNGCodec.encode(mask))
        let catalog = try CatalogDataset(catalog: f.catalog, options: CatalogOptions(masks: ["bar"]))
        #expect(try catalog.example(at: 0).masks["bar"]?.pixels == mask.pixels)
        #expect(try catalog.example(at: 1).masks.isEmpty)
        // The loader's batch marks it absent, so a masked loss leaves it out.
        let loader = try DataLoader(dataset: catalog, options: DataLoaderOptions(batchSize: 2, shuffle: false, workers: 1),
                                    maskNames: ["bar"])
        let batch = try #require(try loader.epoch(0).next())
        #expect(batch.maskPresent["bar"] == [true, false])
    }

    @Test func badMasksAreErrorsNamingRowColumnAndFile() throws {
        let f = try CatalogFixture(header: "id_str,file_loc,bar_mask_loc", rows: ["g1,images/g1.png,masks/g1.png"], pngs: ["images/g1.png"])
        #expect { try CatalogDataset(catalog: f.catalog, options: CatalogOptions(masks: ["bar"])) } throws: {
            "\($0)".contains("data row 1 (file line 2), column 'bar_mask_loc': mask \(f.dir.path)/masks/g1.png: not found")
        }
        try f.dir.write("masks/g1.png", try PNGCodec.encode(Image(channels: 1, height: 5, width: 8)))
        let catalog = try CatalogDataset(catalog: f.catalog, options: CatalogOptions(masks: ["bar"]))
        #expect { try catalog.example(at: 0) } throws: {
            "\($0)".contains("column 'bar_mask_loc': mask \(f.dir.path)/masks/g1.png: is 8×5 but its image is 8×6")
        }
        #expect { try CatalogDataset(catalog: f.catalog, options: CatalogOptions(masks: ["spiral"])) } throws: {
            "\($0)".contains("no column 'spiral_mask_loc'")
        }
    }

    @Test(arguments: [
        ("g1,clump,1,1,1,4", "file line 2: box (1, 1)–(1, 4) has non-positive size"),
        ("g1,clump,-1,1,3,4", "file line 2: box (-1, 1)–(3, 4) starts outside the image"),
        ("g1,clump,1,1,x,4", "file line 2: x_max 'x' is not a finite number"),
        ("g1,0,1,1,3,4", "file line 2: label 0 is not a class: labels start at 1"),
        ("g1,star,1,1,3,4", "file line 2: label 'star' is not one of the classes clump"),
        ("g9,clump,1,1,3,4", "id_str 'g9': no galaxy of"),
    ])
    func badBoxesAreErrorsNamingFileRowAndValue(_ row: String, _ message: String) throws {
        let f = try CatalogFixture(header: "id_str,file_loc", rows: ["g1,images/g1.png"], pngs: ["images/g1.png"])
        let boxes = try f.dir.write("boxes.csv", text: "id_str,label,x_min,y_min,x_max,y_max\n\(row)\n")
        #expect { try CatalogDataset(catalog: f.catalog, options: CatalogOptions(boxes: "boxes.csv", boxClasses: ["clump"])) } throws: {
            "\($0)".hasPrefix(boxes) && "\($0)".contains(message)
        }
    }

    @Test func aBoxReachingOutsideItsImageIsAnErrorWhenTheImageIsRead() throws {
        let f = try CatalogFixture(header: "id_str,file_loc", rows: ["g1,images/g1.png"], pngs: ["images/g1.png"])
        try f.dir.write("boxes.csv", text: "id_str,label,x_min,y_min,x_max,y_max\ng1,1,2,2,9,4\n")
        let catalog = try CatalogDataset(catalog: f.catalog, options: CatalogOptions(boxes: "boxes.csv"))
        #expect(catalog.boxClasses == ["class 1"])
        #expect { try catalog.example(at: 0) } throws: { "\($0)".contains("id_str 'g1': box (2, 2)–(9, 4) reaches outside the 8×6 image") }
    }

    @Test func cocoFilesRoundTripAndMatchImagesByFile() throws {
        let (dir, data) = try Self.exported()
        let csv = try BoxTable.read(path: dir.file("boxes.csv"), classes: ["clump"])
        let images = (0..<data.count).map { BoxTable.COCOImage(id: data.id(at: $0), fileName: "images/\(data.id(at: $0)).png", width: 32, height: 32) }
        try csv.writeCOCO(to: dir.file("boxes.json"), images: images)
        let byFile = Dictionary(uniqueKeysWithValues: images.map { ($0.fileName, $0.id) })
        #expect(try BoxTable.read(path: dir.file("boxes.json"), fileNames: byFile) == csv)
        // A catalog reads the COCO file as it reads the CSV.
        let fromCOCO = try CatalogDataset(catalog: dir.file("catalog.csv"), options: CatalogOptions(boxes: "boxes.json"))
        let fromCSV = try CatalogDataset(catalog: dir.file("catalog.csv"), options: CatalogOptions(boxes: "boxes.csv"))
        #expect(fromCOCO.entries.map(\.boxes) == fromCSV.entries.map(\.boxes) && fromCOCO.boxClasses == ["clump"])
        // COCO's bbox is [x, y, width, height].
        let json = try String(contentsOfFile: dir.file("boxes.json"), encoding: .utf8)
        let first = try #require(csv.boxes[images.first { csv.boxes[$0.id] != nil }!.id]?.first)
        #expect(json.contains("\"bbox\":[\(Int(first.x1)),\(Int(first.y1)),\(Int(first.width)),\(Int(first.height))]"))
    }

    @Test(arguments: [
        ("{\"images\": []}", "malformed COCO file: no 'annotations'"),
        ("[1, 2]", "malformed COCO file"),
        ("{\"images\": [{\"id\": 1, \"file_name\": \"images/g1.png\"}], \"categories\": [{\"id\": 1, \"name\": \"clump\"}], \"annotations\": [{\"image_id\": 2, \"category_id\": 1, \"bbox\": [1, 1, 2, 2]}]}",
         "annotation 0: image_id 2 is not among the file's images"),
        ("{\"images\": [{\"id\": 1, \"file_name\": \"images/g7.png\"}], \"categories\": [], \"annotations\": []}",
         "image 1: image 'images/g7.png' is not in the catalog"),
        ("{\"images\": [{\"id\": 1, \"file_name\": \"images/g1.png\"}], \"categories\": [{\"id\": 1, \"name\": \"clump\"}], \"annotations\": [{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, 2]}]}",
         "annotation 0: bbox must be [x, y, width, height]"),
    ])
    func malformedCOCOFilesAreErrorsSayingWhere(_ text: String, _ message: String) throws {
        let f = try CatalogFixture(header: "id_str,file_loc", rows: ["g1,images/g1.png"], pngs: ["images/g1.png"])
        try f.dir.write("boxes.json", text: text)
        #expect { try CatalogDataset(catalog: f.catalog, options: CatalogOptions(boxes: "boxes.json")) } throws: {
            "\($0)".contains(message)
        }
    }

    @Test func inspectDescribesMasksAndBoxesAndListsTheirBadRows() throws {
        let (dir, _) = try Self.exported()
        let good = try Inspection.catalog(path: dir.file("catalog.csv"), options: CatalogOptions(boxes: "boxes.csv"))
        #expect(good.problems == 0)
        #expect(good.lines.contains { $0.hasPrefix("  spiral_fraction (spiral_fraction_mask_loc): 12 of 12 galaxies, mean covered fraction") })
        #expect(good.lines.contains { $0.hasPrefix("boxes (boxes.csv): ") && $0.contains("classes clump") })
        #expect(!good.lines.contains { $0.hasPrefix("  bar_mask_loc:") }, "mask columns are not summarised as labels")
        // A mask of the wrong size is a bad row, not a crash.
        let id = try CSVTable.read(path: dir.file("catalog.csv")).rows[2][0]
        try dir.write("masks/\(id)_bar.png", try PNGCodec.encode(Image(channels: 1, height: 4, width: 4)))
        let bad = try Inspection.catalog(path: dir.file("catalog.csv"))
        #expect(bad.problems == 1)
        #expect(bad.lines.contains { $0.contains("data row 3") && $0.contains("is 4×4 but its image is 32×32") })
    }
}
