import Foundation
import Testing
@testable import Framework

/// The real DECaLS ring catalog kept beside the repository (../shared/data/gz-rings); it is
/// third-party data and is read in place, never copied into the project.
enum GZRings {
    static let folder = URL(fileURLWithPath: #filePath)  // <repo>/Tests/FrameworkTests/Data/GZRingsTests.swift
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data/gz-rings").standardizedFileURL.path
    static var catalog: String { folder + "/catalog.csv" }
    static var available: Bool { FileManager.default.fileExists(atPath: catalog) }
}

@Suite("Real data: gz-rings (305 DECaLS galaxies)",
       .enabled(if: GZRings.available, "gz-rings not found at ../shared/data/gz-rings relative to the repository; skipped"))
struct GZRingsTests {
    @Test func catalogImagesAndLabels() throws {
        let fractions = ["smooth-or-featured_featured-or-disk_fraction", "disk-edge-on_no_fraction",
                         "has-spiral-arms_no_fraction"]
        let ds = try CatalogDataset(catalog: GZRings.catalog,
                                    options: CatalogOptions(labelColumns: ["ring"] + fractions, verifyImages: true))
        #expect(ds.count == 305)
        #expect(ds.skipped.isEmpty)
        let rings = ds.entries.filter { $0.labels["ring"] == 1 }.count
        let others = ds.entries.filter { $0.labels["ring"] == 0 }.count
        #expect(rings == 150 && others == 155)
        for e in ds.entries { for f in fractions { #expect((0...1).contains(e.labels[f]!), "\(e.id) \(f)") } }
        var mean: Double = 0
        for i in 0..<ds.count {
            let img = try ds.example(at: i).image
            #expect(img.shape == [3, 128, 128], "\(ds.id(at: i))")
            #expect(img.pixels.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(ds.id(at: i))")
            mean += Double(img.pixels.reduce(0, +)) / Double(img.pixels.count)
        }
        // Galaxies on dark sky: neither black nor washed out.
        mean /= Double(ds.count)
        #expect(mean > 0.02 && mean < 0.5, "mean pixel \(mean)")
        // A stratified split keeps the ring fraction in every part.
        let split = try ds.split(DatasetSplit.Options(train: 0.6, val: 0.2, test: 0.2, seed: 1, stratifyBy: "ring"))
        for part in [split.train, split.val, split.test] {
            let share = Double(part.filter { ds.entries[$0].labels["ring"] == 1 }.count) / Double(part.count)
            #expect(abs(share - 150.0 / 305.0) < 0.02)
        }
    }
}
