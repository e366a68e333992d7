import Foundation

/// Boxes of a catalog's galaxies, in the field's two formats: a CSV with one box per row
/// (`id_str,label,x_min,y_min,x_max,y_max`) and COCO JSON. Coordinates are pixels of the
/// image file, x to the right and y down, (x_min, y_min) the top-left corner of the box and
/// (x_max, y_max) the bottom-right one, as COCO and torchvision. Labels are 1-based class
/// indices (0 is detection's background) or class names from `classes`.
public struct BoxTable: Sendable, Equatable {
    /// Class names; label k is `classes[k - 1]`. Empty when labels are bare indices.
    public var classes: [String]
    /// Boxes by id_str. A galaxy without an entry has no boxes.
    public var boxes: [String: [BoundingBox]]

    public static let csvHeader = ["id_str", "label", "x_min", "y_min", "x_max", "y_max"]

    public init(classes: [String] = [], boxes: [String: [BoundingBox]] = [:]) {
        self.classes = classes
        self.boxes = boxes
    }

    /// Total number of boxes.
    public var count: Int { boxes.values.reduce(0) { $0 + $1.count } }

    /// Reads a box CSV, or COCO JSON when the file ends in `.json`. `classes` names the
    /// classes in label order (empty: CSV names are numbered in sorted order, COCO's
    /// categories in id order). `fileNames` maps a catalog's file_loc values to id_str, for
    /// COCO files, whose images are named by file.
    public static func read(path: String, classes: [String] = [], fileNames: [String: String] = [:]) throws -> BoxTable {
        if path.lowercased().hasSuffix(".json") { return try readCOCO(path: path, classes: classes, fileNames: fileNames) }
        return try readCSV(path: path, classes: classes)
    }

    /// Reads `id_str,label,x_min,y_min,x_max,y_max` (further columns, such as a detection's
    /// `score`, are ignored). Every bad row is an error naming the file line and value.
    public static func readCSV(path: String, classes: [String] = []) throws -> BoxTable {
        let table = try CSVTable.read(path: path)
        var column: [String: Int] = [:]
        for name in csvHeader {
            guard let c = table.columnIndex(name) else {
                throw DataError.missingColumn(catalog: path, column: name, available: table.header)
            }
            column[name] = c
        }
        // Names are numbered once for the whole file so labels mean the same in every row.
        var names = classes
        if names.isEmpty {
            let used = Set(table.rows.map { $0[column["label"]!].trimmingCharacters(in: .whitespaces) })
            names = used.filter { Int($0) == nil && !$0.isEmpty }.sorted()
        }
        var out = BoxTable(classes: names)
        for (r, row) in table.rows.enumerated() {
            let at = "file line \(table.lines[r])"
            let id = row[column["id_str"]!]
            guard !id.isEmpty else { throw DataError.badBox(file: path, row: at, message: "empty id_str") }
            let label = try Self.label(row[column["label"]!], classes: names, file: path, row: at)
            var v: [Float] = []
            for name in ["x_min", "y_min", "x_max", "y_max"] {
                let text = row[column[name]!].trimmingCharacters(in: .whitespaces)
                guard let x = Float(text), x.isFinite else {
                    throw DataError.badBox(file: path, row: at, message: "\(name) '\(text)' is not a finite number")
                }
                v.append(x)
            }
            let box = BoundingBox(x1: v[0], y1: v[1], x2: v[2], y2: v[3], label: label)
            try check(box, file: path, row: at)
            out.boxes[id, default: []].append(box)
        }
        return out
    }

    /// Writes the boxes of `ids` (in that order; nil: every id, sorted) as CSV, atomically.
    /// Labels are written as class names when the table has them.
    public func writeCSV(to path: String, ids: [String]? = nil) throws {
        var rows: [[String]] = []
        for id in ids ?? boxes.keys.sorted() {
            for b in boxes[id] ?? [] {
                rows.append([id, labelName(b.label)] + [b.x1, b.y1, b.x2, b.y2].map { Self.number($0) })
            }
        }
        try CSVTable(header: Self.csvHeader, rows: rows).write(to: path)
    }

    /// The name of label `k`, or `k` itself when the table has no name for it.
    public func labelName(_ k: Int) -> String { k >= 1 && k <= classes.count ? classes[k - 1] : String(k) }

    /// A box must have positive size and start inside the image; the far edge is checked
    /// against the image when its size is known (`check(_:width:height:…)`).
    static func check(_ b: BoundingBox, file: String, row: String) throws {
        guard b.x2 > b.x1, b.y2 > b.y1 else {
            throw DataError.badBox(file: file, row: row,
                                   message: "box (\(number(b.x1)), \(number(b.y1)))–(\(number(b.x2)), \(number(b.y2))) has non-positive size; x_max must exceed x_min and y_max y_min")
        }
        guard b.x1 >= 0, b.y1 >= 0 else {
            throw DataError.badBox(file: file, row: row,
                                   message: "box (\(number(b.x1)), \(number(b.y1)))–(\(number(b.x2)), \(number(b.y2))) starts outside the image (negative coordinate)")
        }
    }

    /// Checks that a galaxy's boxes lie inside its image (pixels of the file).
    public static func check(_ boxes: [BoundingBox], width: Int, height: Int, id: String, file: String) throws {
        for b in boxes where b.x2 > Float(width) || b.y2 > Float(height) {
            throw DataError.badBox(file: file, row: "id_str '\(id)'",
                                   message: "box (\(number(b.x1)), \(number(b.y1)))–(\(number(b.x2)), \(number(b.y2))) reaches outside the \(width)×\(height) image")
        }
    }

    static func label(_ text: String, classes: [String], file: String, row: String) throws -> Int {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let k = Int(t) {
            guard k >= 1 else {
                throw DataError.badBox(file: file, row: row, message: "label \(k) is not a class: labels start at 1 (0 is the background)")
            }
            if !classes.isEmpty, k > classes.count {
                throw DataError.badBox(file: file, row: row, message: "label \(k) is beyond the \(classes.count) classes (\(classes.joined(separator: ", ")))")
            }
            return k
        }
        guard let i = classes.firstIndex(of: t) else {
            throw DataError.badBox(file: file, row: row, message: "label '\(t)' is not one of the classes \(classes.joined(separator: ", "))")
        }
        return i + 1
    }

    /// A coordinate as written: integers without a fraction.
    static func number(_ v: Float) -> String { v == v.rounded() && abs(v) < 1e7 ? String(Int(v)) : String(v) }
}
