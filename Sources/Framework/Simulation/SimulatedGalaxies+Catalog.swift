import Foundation

extension SimulatedGalaxies {
    /// Image files of an exported catalog.
    public enum CatalogImageFormat: String, Sendable {
        /// 8-bit RGB PNG.
        case png
        /// Float32 FITS (the bands of `SimulatorOptions.output`).
        case fits
    }

    /// Writes the galaxies as a catalog: `folder/images/<id>.<format>`, `folder/catalog.csv`
    /// with id_str, file_loc, every truth label and the GZ DECaLS vote counts, and — with
    /// `targets` — every mask (`maskNames`) as `folder/masks/<id>_<mask>.<format>` in a `<mask>_mask_loc`
    /// column (PNG masks hold k/255; FITS masks the exact fractions) and the clump boxes as
    /// `folder/boxes.csv`, the formats `data: {kind: catalog, masks: …, boxes: boxes.csv}`
    /// reads back. Rendering and encoding run in parallel (encoding a PNG costs about twice
    /// rendering it); the output is the same bytes for any thread count, and every file is
    /// written atomically, the CSVs last. `progress` is called on the calling thread with the
    /// number of galaxies written so far.
    public func writeCatalog(to folder: String, format: CatalogImageFormat, targets: Bool = true,
                             progress: (Int) -> Void = { _ in }) throws {
        try FileManager.default.createDirectory(atPath: "\(folder)/images", withIntermediateDirectories: true)
        let maskNames = targets ? self.maskNames : []
        if targets { try FileManager.default.createDirectory(atPath: "\(folder)/masks", withIntermediateDirectories: true) }
        let voteNames = DecisionTree.gzDecals.columnNames
        var labelNames: [String] = []
        var rows: [[String]] = []
        rows.reserveCapacity(count)
        var boxes = BoxTable(classes: GalaxySimulator.boxClasses)
        var ids: [String] = []
        func maskFile(_ id: String, _ name: String) -> String { "masks/\(id)_\(name).\(format.rawValue)" }
        // Blocks bound memory and give progress; each splits into one contiguous chunk per thread.
        let block = max(64, 32 * Parallel.threads)
        let fitsLock = NSLock()
        let writes = BackgroundWrite()
        defer { try? writes.wait() }
        var start = 0
        while start < count {
            let end = min(count, start + block)
            // Render and encode in parallel; PNG bytes are then written as one batch (one
            // flush for the block rather than one per file, which dominated).
            var results = [Result<(Example, [(path: String, bytes: [UInt8])]), Error>?](repeating: nil, count: end - start)
            results.withUnsafeMutableBufferPointer { out in
                let out = out
                Parallel.chunks(end - start) { a, b in
                    for k in a..<b {
                        out[k] = Result {
                            let e = try example(at: start + k)
                            let files = [("images/\(e.id).\(format.rawValue)", e.image)]
                                + maskNames.map { (maskFile(e.id, $0), e.masks[$0]!) }
                            switch format {
                            case .png: return (e, try files.map { ("\(folder)/\($0.0)", try PNGCodec.encode($0.1)) })
                            case .fits:
                                // cfitsio may be built without thread safety: one writer at a time.
                                try fitsLock.withLock { for f in files { try FITSCodec.write(f.1, to: "\(folder)/\(f.0)") } }
                                return (e, [])
                            }
                        }
                    }
                }
            }
            let done = try results.map { try $0!.get() }
            if format == .png {
                // Write this block while the next one renders; one write in flight at a time.
                let files = done.flatMap { $0.1.map { (bytes: $0.bytes, path: $0.path) } }
                try writes.wait()
                writes.start { try FileIO.writeAtomically(files) }
            }
            for (e, _) in done {
                if labelNames.isEmpty { labelNames = e.labels.keys.sorted() }
                rows.append([e.id, "images/\(e.id).\(format.rawValue)"] + labelNames.map { Self.cell(e.labels[$0]) }
                            + voteNames.map { Self.cell(e.votes[$0]) } + maskNames.map { maskFile(e.id, $0) })
                ids.append(e.id)
                if !e.boxes.isEmpty { boxes.boxes[e.id] = e.boxes }
            }
            start = end
            progress(end)
        }
        try writes.wait()
        if targets { try boxes.writeCSV(to: "\(folder)/boxes.csv", ids: ids) }
        try CSVTable(header: ["id_str", "file_loc"] + labelNames + voteNames + maskNames.map(CatalogDataset.maskColumn),
                     rows: rows).write(to: "\(folder)/catalog.csv")
    }

    /// A label or vote as the catalog writes it: integers without a fraction, empty if absent.
    static func cell(_ v: Float?) -> String {
        guard let v else { return "" }
        return v == v.rounded() ? String(Int(v)) : String(v)
    }
}

/// One piece of file writing at a time on a background thread, its error rethrown by `wait`.
final class BackgroundWrite: @unchecked Sendable {
    private let queue = DispatchQueue(label: "zoorun.background-write")
    private let group = DispatchGroup()
    private var error: Error?

    func start(_ body: @escaping () throws -> Void) {
        queue.async(group: group) { do { try body() } catch { self.error = error } }
    }

    /// Waits for the write in flight and rethrows its error.
    func wait() throws {
        group.wait()
        if let e = error {
            error = nil
            throw e
        }
    }
}
