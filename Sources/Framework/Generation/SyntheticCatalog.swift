import Foundation

/// Generated images written as a catalog any experiment can read (`data: {kind: catalog}`):
/// `images/<id>.png` and `catalog.csv` with `id_str`, `file_loc` (relative to the catalog),
/// `synthetic` = 1 and the label columns given. Every file is written atomically.
public struct SyntheticCatalog {
    public let folder: String
    public let labelNames: [String]
    private var rows: [[String]] = []

    public init(folder: String, labelNames: [String]) throws {
        self.folder = folder
        self.labelNames = labelNames
        try FileManager.default.createDirectory(atPath: "\(folder)/images", withIntermediateDirectories: true)
    }

    public var count: Int { rows.count }

    /// Writes one image (PNG clamps values to [0, 1]) with its labels, in `labelNames` order.
    public mutating func add(_ image: Image, id: String, labels: [Float]) throws {
        guard labels.count == labelNames.count else {
            throw ConfigError(file: "\(folder)/catalog.csv", message: "image \(id) has \(labels.count) labels for columns \(labelNames)")
        }
        let file = "images/\(id).png"
        try AtomicFile.write(Data(try PNGCodec.encode(image)), to: "\(folder)/\(file)")
        rows.append([id, file, "1"] + labels.map { $0 == $0.rounded() ? String(Int($0)) : String($0) })
    }

    /// Writes `catalog.csv` and returns its path.
    @discardableResult
    public func writeCSV() throws -> String {
        let path = "\(folder)/catalog.csv"
        try CSVTable(header: ["id_str", "file_loc", "synthetic"] + labelNames, rows: rows).write(to: path)
        return path
    }
}
