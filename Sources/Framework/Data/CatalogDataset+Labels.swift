/// Label cells checked against the head that will use them.
extension CatalogDataset {
    /// For each of `head`'s label columns in this catalog: how many usable rows leave it empty
    /// (no label), and every present value the head cannot use, in catalog order.
    public func labelProblems(for head: any Head) -> (missing: [String: Int], invalid: [DataError]) {
        var invalid: [DataError] = []
        var missing: [String: Int] = [:]
        for column in head.labelColumns {
            guard let c = table.columnIndex(column), options.labelColumns.contains(column) else { continue }
            if let n = missingLabels[column] { missing[column] = n }
            for e in entries {
                let text = table.rows[e.tableRow][c].trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty, let v = e.labels[column], let reason = head.labelProblem(v, column: column) else { continue }
                invalid.append(.invalidLabel(e.location, column: column, value: text, reason: reason, more: 0))
            }
        }
        invalid.sort { ($0.location?.row ?? 0) < ($1.location?.row ?? 0) }
        return (missing, invalid)
    }
}

extension DataError {
    /// The catalog location of a row-level error.
    var location: Location? {
        switch self {
        case let .invalidLabel(l, _, _, _, _), let .emptyValue(l, _), let .nonNumeric(l, _, _), let .missingImage(l, _, _),
             let .badImage(l, _, _), let .outsideFolder(l, _, _), let .unknownSplitValue(l, _, _):
            return l
        default: return nil
        }
    }
}
