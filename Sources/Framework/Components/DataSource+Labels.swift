import Foundation

extension DataSource {
    /// Checks a catalog's labels against the head that trains on them: a present value the
    /// head cannot use (NaN, -1, 2 for two classes, 1.5) stops with the first such cell named;
    /// an empty cell is a galaxy without a label, left out of training and metrics and counted
    /// in the log. Other datasets make their labels valid by construction.
    public func checkLabels(for head: any Head) throws {
        guard let catalog = dataset as? CatalogDataset else { return }
        let (missing, invalid) = catalog.labelProblems(for: head)
        if case let .invalidLabel(loc, column, value, reason, _)? = invalid.first {
            throw DataError.invalidLabel(loc, column: column, value: value, reason: reason, more: invalid.count - 1)
        }
        for (column, n) in missing.sorted(by: { $0.key < $1.key }) {
            FileHandle.standardError.write(Data(
                "zoorun: \(n) of \(catalog.count) galaxies have no '\(column)' label (empty cell): left out of training and metrics\n".utf8))
        }
    }
}
