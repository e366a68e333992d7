import Framework

extension TrainedRun {
    /// Opens a catalog to predict. Every galaxy is kept: the head's label columns (or
    /// `labels`) are read only where the catalog has them, and a cell that is empty, NaN or
    /// otherwise not a label the head can use leaves that galaxy predicted but not scored.
    /// Returns the catalog and one note per column on what was not scored.
    public func predictionCatalog(_ path: String, labels: [String] = []) throws -> (CatalogDataset, notes: [String]) {
        let header = try CSVTable.read(path: path).header
        let wanted = labels.isEmpty ? model.head.labelColumns.filter(header.contains) : labels
        let catalog = try CatalogDataset(catalog: path, options: CatalogOptions(labelColumns: wanted, imageSize: imageSize))
        let (missing, invalid) = catalog.labelProblems(for: model.head)
        var notes: [String] = []
        for column in wanted {
            let bad = invalid.filter { if case let .invalidLabel(_, c, _, _, _) = $0 { c == column } else { false } }
            let nan = bad.filter { if case let .invalidLabel(_, _, v, _, _) = $0 { Float(v)?.isNaN ?? false } else { false } }
            let unscored = (missing[column] ?? 0) + bad.count
            guard unscored > 0 else { continue }
            var note = "\(unscored) of \(catalog.count) galaxies have no usable '\(column)' label and are not scored"
            if let first = bad.first(where: { e in !nan.contains(e) }) { note += " (invalid: \(first))" }
            notes.append(note)
        }
        return (catalog, notes)
    }
}
