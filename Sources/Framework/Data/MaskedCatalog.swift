import Foundation

/// A catalog whose `<name>_mask_loc` columns give each galaxy's masks (DESIGN §2): a PNG or
/// FITS file per galaxy and mask type, binary or soft in [0, 1], relative to the catalog
/// like `file_loc`; an empty cell means the galaxy has no mask of that type (it is then left
/// out of that mask's loss and scores). Masks are resized to the image's grid.
public struct MaskedCatalog: Dataset {
    public let catalog: CatalogDataset
    /// Mask name → column index in `catalog.table`.
    public let maskColumns: [String: Int]

    /// - Parameter masks: mask names to read (their `<name>_mask_loc` columns must exist);
    ///   nil reads every `*_mask_loc` column.
    public init(_ catalog: CatalogDataset, masks: [String]? = nil) throws {
        let header = catalog.table.header
        let suffix = "_mask_loc"
        var columns: [String: Int] = [:]
        for name in masks ?? header.filter { $0.hasSuffix(suffix) }.map { String($0.dropLast(suffix.count)) } {
            guard let c = header.firstIndex(of: name + suffix) else {
                throw DataError.missingColumn(catalog: catalog.catalogPath, column: name + suffix, available: header)
            }
            columns[name] = c
        }
        self.catalog = catalog
        maskColumns = columns
    }

    public var count: Int { catalog.count }
    public func id(at index: Int) -> String { catalog.id(at: index) }
    public func targets(at index: Int) throws -> (labels: [String: Float], votes: [String: Float]) { try catalog.targets(at: index) }

    public func example(at index: Int) throws -> Example {
        var example = try catalog.example(at: index)
        let entry = catalog.entries[index]
        for (name, column) in maskColumns {
            let cell = catalog.table.rows[entry.tableRow][column].trimmingCharacters(in: .whitespaces)
            guard !cell.isEmpty else { continue }
            example.masks[name] = try mask(cell, name: name, at: entry, size: (example.image.height, example.image.width))
        }
        return example
    }

    /// The first channel of the mask file, on the image's grid, checked to lie in [0, 1].
    func mask(_ cell: String, name: String, at entry: CatalogDataset.Entry, size: (Int, Int)) throws -> Image {
        let path = cell.hasPrefix("/") ? cell : "\(catalog.folder)/\(cell)"
        guard FileManager.default.fileExists(atPath: ImageLoader.filePath(of: path)) else {
            throw DataError.missingImage(entry.location, fileLoc: cell, path: path)
        }
        let decoded: Image
        do {
            // FITS masks keep their values (no display stretch); PNG and JPEG come as [0, 1].
            decoded = ImageFormat(path: path) == .fits
                ? try FITSCodec.read(path: path, options: catalog.options.fits, limits: .standard).image
                : try ImageLoader().decode(path: path).image
        } catch {
            throw DataError.badImage(entry.location, path: path, reason: "mask '\(name)': \(error)")
        }
        let plane = decoded.height * decoded.width
        var mask = Image(channels: 1, height: decoded.height, width: decoded.width, pixels: Array(decoded.pixels.prefix(plane)))
        if let bad = mask.pixels.first(where: { !($0 >= 0 && $0 <= 1) }) {
            throw DataError.badImage(entry.location, path: path, reason: "mask '\(name)' has value \(bad); masks must be binary or soft in [0, 1]")
        }
        if mask.height != size.0 || mask.width != size.1 { mask = try Resize.apply(mask, height: size.0, width: size.1) }
        return mask
    }
}
