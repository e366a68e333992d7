import Foundation

extension CatalogDataset {
    /// The catalog column holding mask type `name`'s files.
    public static func maskColumn(_ name: String) -> String { "\(name)_mask_loc" }

    /// The mask types the catalog was opened with.
    public var maskNames: [String] { options.masks }

    /// A row's mask files by type, resolved like file_loc (and kept inside the catalog's
    /// folder unless allowed); an empty cell is a galaxy without that mask, and a missing file
    /// an error naming the row and column.
    static func maskPaths(_ row: [String], columns: [(String, Int)], folder: String, realFolder: String,
                          allowOutside: Bool, location: DataError.Location) throws -> [String: String] {
        var out: [String: String] = [:]
        for (name, c) in columns {
            let cell = row[c].trimmingCharacters(in: .whitespaces)
            guard !cell.isEmpty else { continue }
            let path = try resolve(cell, folder: folder, realFolder: realFolder, allowOutside: allowOutside, location: location)
            let file = ImageLoader.filePath(of: path)
            guard FileManager.default.fileExists(atPath: file) else {
                throw DataError.badMask(location, column: maskColumn(name), path: file, reason: "not found")
            }
            out[name] = path
        }
        return out
    }

    /// Decodes an entry's masks at the image's own size: one plane each, values in [0, 1]
    /// (an RGB mask file is read as its mean). A mask of another size, or with values
    /// outside [0, 1], is an error naming the row, column and file.
    func loadMasks(_ e: Entry, width: Int, height: Int) throws -> [String: Image] {
        var out: [String: Image] = [:]
        // Masks are read as stored: FITS masks carry fractions, so no display stretch.
        let raw = ImageLoader()
        for (name, path) in e.masks {
            let column = Self.maskColumn(name)
            var mask: Image
            do {
                mask = try ImageFormat(path: path) == .fits ? FITSCodec.read(path: path, options: options.fits).image
                    : raw.decode(path: path).image
            } catch {
                throw DataError.badMask(e.location, column: column, path: path, reason: "cannot read: \(error)")
            }
            guard mask.width == width, mask.height == height else {
                throw DataError.badMask(e.location, column: column, path: path,
                                        reason: "is \(mask.width)×\(mask.height) but its image is \(width)×\(height); a mask must share its image's pixel grid")
            }
            if mask.channels > 1 { mask = Self.planeMean(mask) }
            if let bad = mask.pixels.first(where: { !($0 >= 0 && $0 <= 1) }) {
                throw DataError.badMask(e.location, column: column, path: path, reason: "value \(bad) is outside [0, 1]")
            }
            out[name] = mask
        }
        return out
    }

    /// The mean of an image's planes, as one plane.
    static func planeMean(_ image: Image) -> Image {
        let n = image.width * image.height
        var out = Image(channels: 1, height: image.height, width: image.width)
        for c in 0..<image.channels {
            for i in 0..<n { out.pixels[i] += image.pixels[c * n + i] / Float(image.channels) }
        }
        return out
    }

    /// Resizes an example to `options.imageSize`: the image and masks resampled alike, the
    /// boxes scaled with them (after checking they lie inside the original image).
    func resized(_ example: Example, entry e: Entry) throws -> Example {
        let (w, h) = (example.image.width, example.image.height)
        if let file = options.boxes { try BoxTable.check(example.boxes, width: w, height: h, id: e.id, file: file) }
        guard let s = options.imageSize, s != w || s != h else { return example }
        var out = example
        out.image = try Resize.apply(example.image, height: s, width: s)
        for (name, mask) in example.masks { out.masks[name] = try Resize.apply(mask, height: s, width: s) }
        let (sx, sy) = (Float(s) / Float(w), Float(s) / Float(h))
        out.boxes = example.boxes.map {
            BoundingBox(x1: $0.x1 * sx, y1: $0.y1 * sy, x2: $0.x2 * sx, y2: $0.y2 * sy, label: $0.label)
        }
        return out
    }
}
