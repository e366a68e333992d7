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
        // Every `<name>_mask_loc` column is a mask type to describe and check.
        let header = try CSVTable.read(path: path).header
        let suffix = CatalogDataset.maskColumn("")
        if opts.masks.isEmpty {
            opts.masks = header.filter { $0.hasSuffix(suffix) && $0.count > suffix.count }.map { String($0.dropLast(suffix.count)) }
        }
        var lines = ["catalog: \(path)"]
        let table: CSVTable
        var skipped: [CatalogDataset.SkippedRow]
        var opened: CatalogDataset?
        do {
            let ds = try CatalogDataset(catalog: path, options: opts)
            table = ds.table
            skipped = ds.skipped
            opened = ds
        } catch DataError.noUsableRows {
            // Every row is bad: report them all rather than only the first.
            let all = try CatalogDataset(table: try CSVTable.read(path: path), catalogPath: path,
                                         folder: URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path,
                                         options: opts, requireRows: false)
            table = all.table
            skipped = all.skipped
        }
        var targetLines: [String] = []
        if let ds = opened { (targetLines, skipped) = describeTargets(ds, skipped: skipped) }
        lines.append("rows: \(table.rows.count) (\(table.rows.count - skipped.count) usable, \(skipped.count) bad)")
        lines.append("columns: \(table.header.joined(separator: ", "))")
        lines.append("label columns:")
        let maskColumns = Set(opts.masks.map(CatalogDataset.maskColumn))
        for (c, name) in table.header.enumerated() where name != "id_str" && name != "file_loc" && !maskColumns.contains(name) {
            lines.append("  " + summarise(name: name, values: table.rows.map { $0[c] }))
        }
        lines += targetLines
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

    /// Reads every usable galaxy's masks and boxes (checking mask sizes and value ranges, and
    /// that boxes lie inside their images), describes them, and adds the galaxies that fail
    /// to the bad rows.
    static func describeTargets(_ ds: CatalogDataset, skipped: [CatalogDataset.SkippedRow])
        -> ([String], [CatalogDataset.SkippedRow]) {
        guard !ds.maskNames.isEmpty || ds.options.boxes != nil else { return ([], skipped) }
        var bad = skipped
        var present: [String: Int] = [:], covered: [String: Double] = [:]
        var boxes = 0, galaxiesWithBoxes = 0, sides: [Float] = []
        for (i, e) in ds.entries.enumerated() {
            let example: Example
            do { example = try ds.example(at: i) } catch {
                bad.append(CatalogDataset.SkippedRow(row: e.location.row, line: e.location.line, id: e.id, fileLoc: e.fileLoc,
                                                     reason: "\(error)"))
                continue
            }
            for (name, mask) in example.masks {
                present[name, default: 0] += 1
                covered[name, default: 0] += Double(mask.pixels.reduce(0, +)) / Double(max(1, mask.pixels.count))
            }
            boxes += example.boxes.count
            if !example.boxes.isEmpty { galaxiesWithBoxes += 1 }
            sides += example.boxes.map { ($0.width * $0.height).squareRoot() }
        }
        var lines: [String] = []
        if !ds.maskNames.isEmpty {
            lines.append("masks:")
            for name in ds.maskNames {
                let n = present[name] ?? 0
                lines.append("  \(name) (\(CatalogDataset.maskColumn(name))): \(n) of \(ds.count) galaxies"
                             + (n > 0 ? ", mean covered fraction \(fmt((covered[name] ?? 0) / Double(n)))" : ""))
            }
        }
        if let file = ds.options.boxes {
            sides.sort()
            var line = "boxes (\(file)): \(boxes) in \(galaxiesWithBoxes) of \(ds.count) galaxies, classes \(ds.boxClasses.joined(separator: ", "))"
            if !sides.isEmpty {
                line += "; side √(w·h) median \(fmt(Double(sides[sides.count / 2]))) px, range \(fmt(Double(sides.first!)))–\(fmt(Double(sides.last!))) px"
            }
            lines.append(line)
        }
        return (lines, bad.sorted { $0.row < $1.row })
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
