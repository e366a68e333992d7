import Foundation

/// A galaxy catalog in the galaxy-datasets / Zoobot convention: a CSV with `id_str`,
/// `file_loc` (the image, relative to the catalog's folder or absolute) and label columns.
///
/// Opening the catalog checks everything that can be checked without training: required
/// and configured columns exist, ids are unique, label and vote cells are numbers (NaN is
/// allowed when written as such), every file_loc stays inside the catalog's folder (unless
/// allowed) and names an existing file, and — with `verifyImages` — that every image decodes.
/// Errors name the catalog, the data row and file line, the column and the file. Rows whose
/// image is missing or unreadable either stop the opening (`onBadImage: error`) or are left
/// out and listed in `skipped` (`onBadImage: skip`), which `writeSkipped(to:)` saves as CSV.
public struct CatalogDataset: Dataset {
    /// One usable row of the catalog.
    public struct Entry: Sendable, Equatable {
        public var id: String
        /// Where the row is in the catalog (data row and file line).
        public var location: DataError.Location
        /// The file_loc cell as written.
        public var fileLoc: String
        /// The resolved image path (absolute; a FITS HDU selector is kept).
        public var path: String
        public var labels: [String: Float]
        public var votes: [String: Float]
        /// The training-loss weight (`CatalogOptions.weightColumn`; 1 without one).
        public var weight: Float = 1
        /// Resolved mask files by mask type (types whose cell is empty are absent).
        public var masks: [String: String] = [:]
        /// Boxes in pixels of the image file.
        public var boxes: [BoundingBox] = []
        /// Index of the row in `table.rows`.
        public var tableRow: Int
    }

    /// A row left out under `onBadImage: skip`, and why.
    public struct SkippedRow: Sendable, Equatable {
        /// 1-based data row.
        public var row: Int
        /// File line on which the row starts.
        public var line: Int
        public var id: String
        public var fileLoc: String
        public var reason: String
    }

    /// The catalog file as given.
    public let catalogPath: String
    /// The folder relative file_loc values are resolved against (absolute).
    public let folder: String
    public let options: CatalogOptions
    /// The parsed CSV (all rows, including skipped ones).
    public let table: CSVTable
    /// The usable rows, in catalog order.
    public let entries: [Entry]
    /// Rows left out, in catalog order (empty unless `onBadImage` is `skip`).
    public let skipped: [SkippedRow]
    /// Per label column, how many usable rows leave it empty (read as NaN: no label).
    public let missingLabels: [String: Int]
    /// Box class names (label k is `boxClasses[k - 1]`), from the options or the box file.
    public let boxClasses: [String]
    private let loader: ImageLoader

    /// Opens and checks the catalog at `path`.
    public init(catalog path: String, options: CatalogOptions = .init()) throws {
        let table = try CSVTable.read(path: path)
        let absolute = URL(fileURLWithPath: path).standardizedFileURL
        try self.init(table: table, catalogPath: path, folder: absolute.deletingLastPathComponent().path, options: options)
    }

    /// Checks an already-parsed table whose relative file_loc values live under `folder`.
    public init(table: CSVTable, catalogPath: String, folder: String, options: CatalogOptions = .init()) throws {
        try self.init(table: table, catalogPath: catalogPath, folder: folder, options: options, requireRows: true)
    }

    /// As above; with `requireRows` false, a catalog whose rows were all skipped opens empty
    /// (for `Inspection`, which lists every bad row).
    init(table: CSVTable, catalogPath: String, folder: String, options: CatalogOptions, requireRows: Bool) throws {
        self.catalogPath = catalogPath
        self.folder = URL(fileURLWithPath: folder).standardizedFileURL.path
        self.options = options
        self.table = table
        self.loader = options.loader
        try options.scaling.validate()

        func column(_ name: String) throws -> Int {
            guard let c = table.columnIndex(name) else {
                throw DataError.missingColumn(catalog: catalogPath, column: name, available: table.header)
            }
            return c
        }
        let idColumn = try column("id_str")
        let fileColumn = try column("file_loc")
        let labelColumns = try options.labelColumns.map { ($0, try column($0)) }
        let voteColumns = try options.voteColumns.map { ($0, try column($0)) }
        let maskColumns = try options.masks.map { ($0, try column(Self.maskColumn($0))) }
        let weightColumn = try options.weightColumn.map { ($0, try column($0)) }
        guard !table.rows.isEmpty else { throw DataError.emptyCatalog(catalog: catalogPath) }

        let realFolder = Self.realPath(self.folder) ?? self.folder
        var seen: [String: DataError.Location] = [:]
        var candidates: [Entry] = []
        var bad: [(entry: Entry, error: DataError)] = []
        for (r, row) in table.rows.enumerated() {
            let loc = DataError.Location(catalog: catalogPath, row: r + 1, line: table.lines[r])
            let id = row[idColumn]
            guard !id.isEmpty else { throw DataError.emptyValue(loc, column: "id_str") }
            if let first = seen[id] { throw DataError.duplicateID(id: id, first: first, second: loc) }
            seen[id] = loc
            // An empty label cell is a galaxy without that label (predicted, not trained on or
            // scored); an empty vote count stays an error, since 0 votes is written as 0.
            func numbers(_ columns: [(String, Int)], emptyIsMissing: Bool) throws -> [String: Float] {
                var out: [String: Float] = [:]
                for (name, c) in columns {
                    let text = row[c].trimmingCharacters(in: .whitespaces)
                    if text.isEmpty, emptyIsMissing {
                        out[name] = .nan
                        continue
                    }
                    guard !text.isEmpty else { throw DataError.emptyValue(loc, column: name) }
                    guard let v = Float(text) else { throw DataError.nonNumeric(loc, column: name, value: row[c]) }
                    out[name] = v
                }
                return out
            }
            let labels = try numbers(labelColumns, emptyIsMissing: true)
            let votes = try numbers(voteColumns, emptyIsMissing: false)
            let fileLoc = row[fileColumn]
            guard !fileLoc.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw DataError.emptyValue(loc, column: "file_loc")
            }
            let resolved = try Self.resolve(fileLoc, folder: self.folder, realFolder: realFolder,
                                            allowOutside: options.allowOutsideCatalogFolder, location: loc)
            var entry = Entry(id: id, location: loc, fileLoc: fileLoc, path: resolved, labels: labels, votes: votes,
                              tableRow: r)
            if let (name, c) = weightColumn {
                let weight = try numbers([(name, c)], emptyIsMissing: false)[name]!
                guard weight.isFinite, weight >= 0 else {
                    throw DataError.invalidLabel(loc, column: name, value: row[c], reason: "is not a weight (a finite number ≥ 0)", more: 0)
                }
                entry.weight = weight
            }
            entry.masks = try Self.maskPaths(row, columns: maskColumns, folder: self.folder, realFolder: realFolder,
                                             allowOutside: options.allowOutsideCatalogFolder, location: loc)
            let file = ImageLoader.filePath(of: resolved)
            var isFolder: ObjCBool = false
            if !FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) || isFolder.boolValue {
                bad.append((entry, .missingImage(loc, fileLoc: fileLoc, path: file)))
            } else {
                candidates.append(entry)
            }
        }
        if options.verifyImages {
            let failures = Self.verify(candidates, loader: loader)
            for (k, reason) in failures.enumerated() {
                guard let reason else { continue }
                bad.append((candidates[k], .badImage(candidates[k].location, path: candidates[k].path, reason: reason)))
            }
        }
        var boxClasses = options.boxClasses
        if let boxFile = options.boxes {
            let path = boxFile.hasPrefix("/") ? boxFile : self.folder + "/" + boxFile
            let byFile = Dictionary((candidates + bad.map(\.entry)).map { ($0.fileLoc, $0.id) }, uniquingKeysWith: { a, _ in a })
            let table = try BoxTable.read(path: path, classes: options.boxClasses, fileNames: byFile)
            let known = Set(seen.keys)
            if let stray = table.boxes.keys.sorted().first(where: { !known.contains($0) }) {
                throw DataError.badBox(file: path, row: "id_str '\(stray)'", message: "no galaxy of \(catalogPath) has this id_str")
            }
            for k in candidates.indices { candidates[k].boxes = table.boxes[candidates[k].id] ?? [] }
            // Bare integer labels get numbered names so every label has one.
            let top = table.boxes.values.joined().map(\.label).max() ?? 0
            boxClasses = table.classes.count >= top ? table.classes
                : table.classes + (table.classes.count + 1...top).map { "class \($0)" }
        }
        self.boxClasses = boxClasses
        bad.sort { $0.entry.tableRow < $1.entry.tableRow }
        if options.onBadImage == .error, let first = bad.first { throw first.error }
        let badRows = Set(bad.map(\.entry.tableRow))
        self.entries = candidates.filter { !badRows.contains($0.tableRow) }
        var missing: [String: Int] = [:]
        for (name, c) in labelColumns {
            let n = entries.filter { table.rows[$0.tableRow][c].trimmingCharacters(in: .whitespaces).isEmpty }.count
            if n > 0 { missing[name] = n }
        }
        self.missingLabels = missing
        self.skipped = bad.map { b in
            let reason: String
            switch b.error {
            case let .missingImage(_, _, path): reason = "image not found: \(path)"
            case let .badImage(_, _, why): reason = why
            default: reason = b.error.description
            }
            return SkippedRow(row: b.entry.location.row, line: b.entry.location.line, id: b.entry.id,
                              fileLoc: b.entry.fileLoc, reason: reason)
        }
        if requireRows, entries.isEmpty, let first = skipped.first {
            throw DataError.noUsableRows(catalog: catalogPath, skipped: skipped.count,
                                         firstReason: "data row \(first.row): \(first.reason)")
        }
    }

    // MARK: Dataset

    public var count: Int { entries.count }

    public func id(at index: Int) -> String { entries[index].id }

    /// Decodes, scales and resizes the image of entry `index` with its masks and boxes; a
    /// failure names the row and file.
    public func example(at index: Int) throws -> Example {
        let e = entries[index]
        let image: Image
        do {
            image = try loader.decode(path: e.path).image
        } catch {
            throw DataError.badImage(e.location, path: e.path, reason: "\(error)")
        }
        return try resized(Example(id: e.id, image: image, labels: e.labels, votes: e.votes,
                                   masks: loadMasks(e, width: image.width, height: image.height), boxes: e.boxes,
                                   weight: e.weight),
                           entry: e)
    }

    /// Labels and votes from the table, without decoding the image: training reads every
    /// example's targets before its first epoch.
    public func targets(at index: Int) throws -> (labels: [String: Float], votes: [String: Float]) {
        (entries[index].labels, entries[index].votes)
    }

    /// The raw values of column `name` for the usable entries, aligned with `entries`.
    public func values(ofColumn name: String) throws -> [String] {
        guard let c = table.columnIndex(name) else {
            throw DataError.missingColumn(catalog: catalogPath, column: name, available: table.header)
        }
        return entries.map { table.rows[$0.tableRow][c] }
    }

    /// Writes the skipped rows as CSV (`row,line,id_str,file_loc,reason`), atomically. The
    /// file is written even when nothing was skipped, so its absence never means "none".
    public func writeSkipped(to path: String) throws {
        let rows = skipped.map { [String($0.row), String($0.line), $0.id, $0.fileLoc, $0.reason] }
        try CSVTable(header: ["row", "line", "id_str", "file_loc", "reason"], rows: rows).write(to: path)
    }

    // MARK: Helpers

    /// file_loc → absolute path (a FITS HDU selector kept at the end), refusing paths that
    /// leave `folder` unless `allowOutside`.
    static func resolve(_ fileLoc: String, folder: String, realFolder: String, allowOutside: Bool,
                        location: DataError.Location) throws -> String {
        var file = fileLoc, selector = ""
        if ImageFormat(path: fileLoc) == .fits, FITSHDU.split(path: fileLoc).hdu != nil,
           let open = fileLoc.lastIndex(of: "[") {
            file = String(fileLoc[..<open])
            selector = String(fileLoc[open...])
        }
        let joined = file.hasPrefix("/") ? file : folder + "/" + file
        let lexical = URL(fileURLWithPath: joined).standardizedFileURL.path
        if !allowOutside {
            guard isInside(lexical, folder: folder) else {
                throw DataError.outsideFolder(location, fileLoc: fileLoc, resolved: lexical)
            }
            // Symbolic links are followed for files that exist (a missing file is reported later).
            if let real = realPath(lexical), !isInside(real, folder: realFolder) {
                throw DataError.outsideFolder(location, fileLoc: fileLoc, resolved: real)
            }
        }
        return lexical + selector
    }

    static func isInside(_ path: String, folder: String) -> Bool {
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        return path.hasPrefix(base)
    }

    /// The canonical path with symbolic links resolved, or nil if it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// Decodes every entry's image in parallel; returns nil or the failure for each.
    static func verify(_ entries: [Entry], loader: ImageLoader) -> [String?] {
        var reasons = [String?](repeating: nil, count: entries.count)
        reasons.withUnsafeMutableBufferPointer { out in
            let out = out
            Parallel.chunks(entries.count, minChunk: 8) { start, end in
                for k in start..<end {
                    do { _ = try loader.decode(path: entries[k].path) } catch { out[k] = "\(error)" }
                }
            }
        }
        return reasons
    }
}
