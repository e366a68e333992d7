import Foundation

extension BoxTable {
    /// The parts of a COCO detection file that boxes need.
    struct COCOFile: Codable {
        struct ImageInfo: Codable {
            var id: Int
            var file_name: String
            var width: Int?
            var height: Int?
        }
        struct Annotation: Codable {
            var id: Int?
            var image_id: Int
            var category_id: Int
            /// [x, y, width, height] from the top-left corner.
            var bbox: [Double]
            var area: Double?
            var iscrowd: Int?
        }
        struct Category: Codable {
            var id: Int
            var name: String
        }
        var images: [ImageInfo]
        var annotations: [Annotation]
        var categories: [Category]
    }

    /// One image of a COCO file the table writes.
    public struct COCOImage: Sendable {
        public var id: String
        public var fileName: String
        public var width: Int
        public var height: Int

        public init(id: String, fileName: String, width: Int, height: Int) {
            self.id = id
            self.fileName = fileName
            self.width = width
            self.height = height
        }
    }

    /// Reads a COCO detection file. Images are matched to galaxies through `fileNames`
    /// (file_loc → id_str, tried as written and by the last path component) or, failing
    /// that, by a file name whose stem is the id_str. Classes follow `classes` by name, else
    /// COCO's categories in id order.
    public static func readCOCO(path: String, classes: [String] = [], fileNames: [String: String] = [:]) throws -> BoxTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError.badBox(file: path, row: "file", message: "cannot read the COCO file (does it exist?)")
        }
        let coco: COCOFile
        do {
            coco = try JSONDecoder().decode(COCOFile.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw DataError.badBox(file: path, row: Self.where(context.codingPath), message: "malformed COCO file: no '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context) {
            throw DataError.badBox(file: path, row: Self.where(context.codingPath), message: "malformed COCO file: \(context.debugDescription)")
        } catch {
            throw DataError.badBox(file: path, row: "file", message: "malformed COCO file: not JSON with images, annotations and categories (\(error))")
        }
        let categories = coco.categories.sorted { $0.id < $1.id }
        let names = classes.isEmpty ? categories.map(\.name) : classes
        var labelOf: [Int: Int] = [:]
        for c in categories {
            guard let i = names.firstIndex(of: c.name) else {
                throw DataError.badBox(file: path, row: "category \(c.id)", message: "category '\(c.name)' is not one of the classes \(names.joined(separator: ", "))")
            }
            labelOf[c.id] = i + 1
        }
        var byBase: [String: String] = [:]
        for (file, id) in fileNames { byBase[(file as NSString).lastPathComponent] = id }
        var images: [Int: (id: String, info: COCOFile.ImageInfo)] = [:]
        for image in coco.images {
            let name = image.file_name
            let stem = ((name as NSString).lastPathComponent as NSString).deletingPathExtension
            guard let id = fileNames[name] ?? byBase[(name as NSString).lastPathComponent] ?? (fileNames.isEmpty || fileNames.values.contains(stem) ? stem : nil) else {
                throw DataError.badBox(file: path, row: "image \(image.id)", message: "image '\(name)' is not in the catalog (no row has that file_loc)")
            }
            images[image.id] = (id, image)
        }
        var out = BoxTable(classes: names)
        for (k, a) in coco.annotations.enumerated() {
            let at = "annotation \(k)" + (a.id.map { " (id \($0))" } ?? "")
            guard let image = images[a.image_id] else {
                throw DataError.badBox(file: path, row: at, message: "image_id \(a.image_id) is not among the file's images")
            }
            guard let label = labelOf[a.category_id] else {
                throw DataError.badBox(file: path, row: at, message: "category_id \(a.category_id) is not among the file's categories")
            }
            guard a.bbox.count == 4, a.bbox.allSatisfy(\.isFinite) else {
                throw DataError.badBox(file: path, row: at, message: "bbox must be [x, y, width, height] of finite numbers, got \(a.bbox)")
            }
            let box = BoundingBox(x1: Float(a.bbox[0]), y1: Float(a.bbox[1]), x2: Float(a.bbox[0] + a.bbox[2]),
                                  y2: Float(a.bbox[1] + a.bbox[3]), label: label)
            try check(box, file: path, row: at)
            if let w = image.info.width, let h = image.info.height {
                try check([box], width: w, height: h, id: image.id, file: path)
            }
            out.boxes[image.id, default: []].append(box)
        }
        return out
    }

    /// Writes the boxes of `images` as a COCO detection file (atomically): image ids are
    /// 1-based positions in `images`, categories the table's classes (or "class k").
    public func writeCOCO(to path: String, images: [COCOImage]) throws {
        var annotations: [COCOFile.Annotation] = []
        for (k, image) in images.enumerated() {
            for b in boxes[image.id] ?? [] {
                let (w, h) = (Double(b.width), Double(b.height))
                annotations.append(COCOFile.Annotation(id: annotations.count + 1, image_id: k + 1, category_id: b.label,
                                                       bbox: [Double(b.x1), Double(b.y1), w, h], area: w * h, iscrowd: 0))
            }
        }
        let labels = max(classes.count, annotations.map(\.category_id).max() ?? 0)
        let file = COCOFile(
            images: images.enumerated().map { k, i in COCOFile.ImageInfo(id: k + 1, file_name: i.fileName, width: i.width, height: i.height) },
            annotations: annotations,
            categories: (0..<labels).map { COCOFile.Category(id: $0 + 1, name: labelName($0 + 1)) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(String(decoding: try encoder.encode(file), as: UTF8.self), to: path)
    }

    /// A JSON coding path as a place in the file (`annotations[3].bbox`).
    static func `where`(_ path: [CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
    }
}
