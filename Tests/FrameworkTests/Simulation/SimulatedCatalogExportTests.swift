import TestSupport
import Foundation
import Testing
@testable import Framework

@Suite("Simulated catalog export (zoorun simulate --catalog)", .serialized)
struct SimulatedCatalogExportTests {
    /// Every file of a folder, by relative path.
    static func contents(_ folder: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: folder) {
            var isDir: ObjCBool = false
            let path = folder + "/" + name
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue {
                out[name] = FileManager.default.contents(atPath: path)
            }
        }
        return out
    }

    /// Encoding now runs in parallel: the export must still be bitwise the same for any
    /// thread count, in catalog order, with no temporary files left.
    @Test(arguments: [SimulatedGalaxies.CatalogImageFormat.png, .fits])
    func parallelExportIsBitwiseTheSerialOne(_ format: SimulatedGalaxies.CatalogImageFormat) throws {
        var options = SimulatorOptions()
        options.imageSize = 24  // 130 galaxies: two blocks of the parallel writer at 4 threads
        if format == .fits { options.output = .bands }
        let data = try SimulatedGalaxies(seed: 5, count: 130, options: options)
        let serial = try TemporaryFolder("sim-serial"), parallel = try TemporaryFolder("sim-parallel")
        // Per task: changing the process's thread count would change how every suite running
        // alongside splits its reductions (a resumed GAN then differed in its last bits).
        try Parallel.withThreads(1) { try data.writeCatalog(to: serial.path, format: format) }
        var reported: [Int] = []
        try Parallel.withThreads(4) { try data.writeCatalog(to: parallel.path, format: format) { reported.append($0) } }
        let a = try Self.contents(serial.path), b = try Self.contents(parallel.path)
        // An image and four masks per galaxy, catalog.csv and boxes.csv.
        #expect(a.count == 130 * 5 + 2 && a == b)
        #expect(reported.last == 130 && reported == reported.sorted())
        let csv = try CSVTable.read(path: parallel.file("catalog.csv"))
        #expect(csv.rows.map { $0[0] } == (0..<130).map { data.id(at: $0) })
        #expect(try CatalogDataset(catalog: parallel.file("catalog.csv"), options: CatalogOptions(labelColumns: ["ring"])).count == 130)
    }
}
