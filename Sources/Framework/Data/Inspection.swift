import Foundation

/// What `zoorun inspect` prints about an image or a catalog, and how many problems it found.
public struct Inspection: Sendable {
    /// Human-readable lines.
    public var lines: [String]
    /// Bad rows found (missing or unreadable images); a non-zero count fails the command.
    public var problems: Int

    public var text: String { lines.joined(separator: "\n") }

    /// Decodes one image as the catalog loader would and summarises it per band.
    public static func image(path: String, loader: ImageLoader = .init()) throws -> Inspection {
        let decoded = try loader.decode(path: path)
        var image = decoded.image
        if let s = loader.size { image = try Resize.apply(image, height: s, width: s) }
        var lines = ["image: \(path)"]
        var format = "format: \(decoded.format.rawValue)"
        if let hdu = decoded.hdu, let bitpix = decoded.bitpix { format += " (HDU \(hdu), BITPIX \(bitpix))" }
        lines.append(format)
        lines.append("shape: \(image.channels) × \(image.height) × \(image.width) (bands × height × width)"
                     + (loader.size != nil ? ", resized from \(decoded.image.height) × \(decoded.image.width)" : ""))
        let s = loader.scaling
        lines.append(decoded.format == .fits
                     ? "values after scaling (percentiles \(fmt(s.lowPercentile))–\(fmt(s.highPercentile)), arcsinh softening \(fmt(s.softening))):"
                     : "values (as decoded, in [0, 1]):")
        let plane = image.height * image.width
        for c in 0..<image.channels {
            let band = image.pixels[(c * plane)..<((c + 1) * plane)]
            let mean = band.reduce(0.0) { $0 + Double($1) } / Double(plane)
            var line = "  band \(c): min \(fmt(Double(band.min()!))), max \(fmt(Double(band.max()!))), mean \(fmt(mean))"
            if let missing = decoded.missingFraction?[c], missing > 0 {
                line += String(format: "; %.2f %% missing pixels filled with the band median", missing * 100)
            }
            lines.append(line)
        }
        return Inspection(lines: lines, problems: 0)
    }

    /// Opens a catalog, decodes every image, summarises the columns and lists bad rows.
    /// Structural problems (missing columns, duplicate ids, escaping paths) are thrown.
    public static func catalog(path: String, options: CatalogOptions = .init()) throws -> Inspection {
        var opts = options
        opts.onBadImage = .skip
        opts.verifyImages = true
        var lines = ["catalog: \(path)"]
        let table: CSVTable
        let skipped: [CatalogDataset.SkippedRow]
        do {
            let ds = try CatalogDataset(catalog: path, options: opts)
            table = ds.table
            skipped = ds.skipped
        } catch DataError.noUsableRows {
            // Every row is bad: report them all rather than only the first.
            let all = try CatalogDataset(table: try CSVTable.read(path: path), catalogPath: path,
                                         folder: URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path,
                                         options: opts, requireRows: false)
            table = all.table
            skipped = all.skipped
        }
        lines.append("rows: \(table.rows.count) (\(table.rows.count - skipped.count) usable, \(skipped.count) bad)")
        lines.append("columns: \(table.header.joined(separator: ", "))")
        lines.append("label columns:")
        for (c, name) in table.header.enumerated() where name != "id_str" && name != "file_loc" {
            lines.append("  " + summarise(name: name, values: table.rows.map { $0[c] }))
        }
        if skipped.isEmpty {
            lines.append("bad rows: none")
        } else {
            lines.append("bad rows (\(skipped.count)):")
            for s in skipped {
                lines.append("  data row \(s.row) (file line \(s.line)), id_str \(s.id), file_loc \(s.fileLoc): \(s.reason)")
            }
        }
        return Inspection(lines: lines, problems: skipped.count)
    }

    /// One column: numeric range and mean (NaN counted apart), class counts for integer
    /// columns with at most 20 distinct values, or the number of distinct texts.
    static func summarise(name: String, values: [String]) -> String {
        let trimmed = values.map { $0.trimmingCharacters(in: .whitespaces) }
        let numbers = trimmed.compactMap { Float($0) }
        guard numbers.count == values.count, !values.isEmpty else {
            return "\(name): text (\(Set(trimmed).count) distinct values)"
        }
        let finite = numbers.filter { $0.isFinite }
        let nan = numbers.count - finite.count
        guard !finite.isEmpty else { return "\(name): numeric, all \(nan) values NaN or infinite" }
        let mean = finite.reduce(0.0) { $0 + Double($1) } / Double(finite.count)
        var text = "\(name): numeric, min \(fmt(Double(finite.min()!))), max \(fmt(Double(finite.max()!))), mean \(fmt(mean))"
        if nan > 0 { text += ", \(nan) NaN/infinite" }
        let integral = finite.allSatisfy { $0 == $0.rounded() && abs($0) < 1e9 }
        let classes = Set(finite)
        if integral && classes.count <= 20 {
            let counts = classes.sorted().map { k in "\(Int(k)) × \(finite.filter { $0 == k }.count)" }
            text += "; classes: " + counts.joined(separator: ", ")
        }
        return text
    }

    static func fmt(_ v: Double) -> String { String(format: "%.4g", v) }
}
