/// A problem with a catalog or dataset, naming the catalog file and, for a row, both the
/// 1-based data row (the header does not count) and the file line where that row starts
/// (the header is line 1, as a spreadsheet numbers it; the two differ when quoted fields
/// span lines).
public enum DataError: Error, CustomStringConvertible, Equatable {
    /// Where in a catalog a problem is.
    public struct Location: Equatable, Sendable {
        public var catalog: String
        /// 1-based data row: the first row after the header is 1.
        public var row: Int
        /// 1-based line of the file on which that row starts.
        public var line: Int

        public init(catalog: String, row: Int, line: Int) {
            self.catalog = catalog
            self.row = row
            self.line = line
        }

        public var text: String { "\(catalog): data row \(row) (file line \(line))" }
    }

    /// A required or configured column is not in the header.
    case missingColumn(catalog: String, column: String, available: [String])
    /// The same id_str appears twice.
    case duplicateID(id: String, first: Location, second: Location)
    /// A required value is empty.
    case emptyValue(Location, column: String)
    /// A label or vote cell does not parse as a number.
    case nonNumeric(Location, column: String, value: String)
    /// A label the head cannot use (a class index out of range, NaN, …); `more` counts the
    /// further invalid cells not named.
    case invalidLabel(Location, column: String, value: String, reason: String, more: Int)
    /// The image file named by file_loc does not exist (or is not a file).
    case missingImage(Location, fileLoc: String, path: String)
    /// The image file exists but cannot be decoded.
    case badImage(Location, path: String, reason: String)
    /// file_loc points outside the catalog's folder and that is not allowed.
    case outsideFolder(Location, fileLoc: String, resolved: String)
    /// The catalog has a header but no rows.
    case emptyCatalog(catalog: String)
    /// Every row was skipped for a bad image.
    case noUsableRows(catalog: String, skipped: Int, firstReason: String)
    /// A split column holds something other than train/val/test.
    case unknownSplitValue(Location, column: String, value: String)
    /// Split settings that cannot work (fractions that do not sum to 1, …).
    case invalidSplit(String)
    /// A box file's row (CSV line, or COCO annotation index) that cannot be used.
    case badBox(file: String, row: String, message: String)
    /// A mask named by a `<name>_mask_loc` cell that is missing, unreadable or the wrong size.
    case badMask(Location, column: String, path: String, reason: String)

    public var description: String {
        switch self {
        case let .missingColumn(catalog, column, available):
            return "\(catalog): no column '\(column)' (columns: \(available.joined(separator: ", ")))"
        case let .duplicateID(id, first, second):
            return "\(second.catalog): id_str '\(id)' appears twice: data row \(first.row) (file line \(first.line)) "
                + "and data row \(second.row) (file line \(second.line))"
        case let .emptyValue(loc, column):
            return "\(loc.text), column '\(column)': empty value"
        case let .nonNumeric(loc, column, value):
            return "\(loc.text), column '\(column)': '\(value)' is not a number (leave a label cell empty where a galaxy has none)"
        case let .invalidLabel(loc, column, value, reason, more):
            return "\(loc.text), column '\(column)': '\(value)' \(reason); leave the cell empty for a galaxy without a label"
                + (more > 0 ? " (and \(more) more invalid cells)" : "")
        case let .missingImage(loc, fileLoc, path):
            return "\(loc.text), column 'file_loc': image '\(fileLoc)' not found (looked for \(path))"
        case let .badImage(loc, path, reason):
            return "\(loc.text), column 'file_loc': cannot read image \(path): \(reason)"
        case let .outsideFolder(loc, fileLoc, resolved):
            return "\(loc.text), column 'file_loc': '\(fileLoc)' resolves to \(resolved), outside the catalog's folder "
                + "(to permit it, set \(CatalogSource.Options.CodingKeys.allowOutsideCatalogFolder.rawValue): true in the "
                + "experiment's data section, or pass --allow-outside-catalog-folder to zoorun inspect)"
        case let .emptyCatalog(catalog):
            return "\(catalog): no data rows"
        case let .noUsableRows(catalog, skipped, firstReason):
            return "\(catalog): all \(skipped) rows were skipped for bad images (first: \(firstReason))"
        case let .unknownSplitValue(loc, column, value):
            return "\(loc.text), column '\(column)': '\(value)' is not one of train, val, test"
        case let .invalidSplit(message):
            return "split: \(message)"
        case let .badBox(file, row, message):
            return "\(file): \(row): \(message)"
        case let .badMask(loc, column, path, reason):
            return "\(loc.text), column '\(column)': mask \(path): \(reason)"
        }
    }
}
