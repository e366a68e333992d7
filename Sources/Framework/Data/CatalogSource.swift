import Foundation

/// `data: {kind: catalog}` — a galaxy-datasets style CSV (`id_str`, `file_loc`, label and
/// vote columns) with images in PNG, JPEG or FITS, split by seeded fractions (stratified on
/// the first label) or by a split column.
public enum CatalogSource: DatasetComponent {
    public static let kind = "catalog"
    public static let summary = "A CSV catalog (id_str, file_loc, labels) of PNG/JPEG/FITS cutouts, e.g. ../shared/data/gz-rings/catalog.csv"

    public struct Options: ComponentOptions {
        /// Path of the CSV, relative to the experiment file or absolute.
        public var catalog = ""
        /// Numeric label columns to read (class indices or values).
        public var labels: [String] = []
        /// Vote-count columns (`question_answer`).
        public var votes: [String] = []
        /// Mask types, each read from a `<name>_mask_loc` column (PNG or FITS per galaxy;
        /// an empty cell: no mask of that type).
        public var masks: [String] = []
        /// Box file beside the catalog (CSV `id_str,label,x_min,y_min,x_max,y_max`, or COCO
        /// JSON), relative to the catalog's folder.
        public var boxes: String?
        /// Box class names in label order (default: as the box file names them).
        public var boxClasses: [String] = []
        /// A numeric column (finite, ≥ 0) that weighs each galaxy's training loss, e.g. to
        /// up-weight a rare class; validation and test metrics stay unweighted.
        public var weightColumn: String?
        /// Images are resized to this side length.
        public var imageSize = 64
        public var train = 0.7
        public var val = 0.15
        public var test = 0.15
        /// Stratify the split on this column (default: the first label when there is one).
        public var stratifyBy: String?
        /// A column holding train / val / test per row, instead of fractions.
        public var splitColumn: String?
        /// Use at most this many training labels (the labels axis of ablations).
        public var maxLabels: Int?
        /// `error` stops at the first unreadable image; `skip` decodes every image at opening and
        /// leaves the unreadable ones (missing, truncated, corrupt) out, listed in skipped.csv.
        public var onBadImage = "error"
        public var allowOutsideCatalogFolder = false
        /// Standardise each band by the training split's mean and std (torchvision's
        /// `Normalize` with statistics of the training images); stored in the checkpoint.
        public var normalize = false

        public init() {}

        enum CodingKeys: String, CodingKey {
            case catalog, labels, votes, masks, boxes, train, val, test
            case boxClasses = "box_classes", weightColumn = "weight_column"
            case imageSize = "image_size", stratifyBy = "stratify_by", splitColumn = "split_column"
            case maxLabels = "max_labels", onBadImage = "on_bad_image"
            case allowOutsideCatalogFolder = "allow_outside_catalog_folder", normalize
        }

        public func validate() throws {
            if catalog.isEmpty { throw ConfigError(file: "data", message: "catalog: give the path of the CSV catalog") }
            if imageSize < 8 || imageSize > 1024 { throw ConfigError(file: "data", message: "image_size \(imageSize) must be in 8...1024") }
            if !["error", "skip"].contains(onBadImage) {
                throw ConfigError(file: "data", message: "on_bad_image must be error or skip, not '\(onBadImage)'")
            }
            if let m = maxLabels, m < 1 { throw ConfigError(file: "data", message: "max_labels must be ≥ 1") }
        }
    }

    public static func make(options o: Options, context: ComponentContext) throws -> DataSource {
        let path = o.catalog.hasPrefix("/") ? o.catalog : (context.baseFolder as NSString).appendingPathComponent(o.catalog)
        let catalogOptions = CatalogOptions(labelColumns: o.labels, voteColumns: o.votes, masks: o.masks, boxes: o.boxes,
                                            boxClasses: o.boxClasses, weightColumn: o.weightColumn, imageSize: o.imageSize,
                                            allowOutsideCatalogFolder: o.allowOutsideCatalogFolder,
                                            onBadImage: o.onBadImage == "skip" ? .skip : .error,
                                            // Skipping promises skipped.csv lists every unreadable
                                            // image, which only decoding them all at opening can keep.
                                            verifyImages: o.onBadImage == "skip")
        let dataset = try CatalogDataset(catalog: path, options: catalogOptions)
        if let folder = context.runFolder, !dataset.skipped.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try dataset.writeSkipped(to: "\(folder)/skipped.csv")
            FileHandle.standardError.write(Data("zoorun: skipped \(dataset.skipped.count) unreadable images (listed in \(folder)/skipped.csv)\n".utf8))
        }
        let split = try dataset.split(DatasetSplit.Options(train: o.train, val: o.val, test: o.test, seed: context.seed,
                                                           stratifyBy: o.splitColumn == nil ? (o.stratifyBy ?? o.labels.first) : nil,
                                                           column: o.splitColumn))
        let channels = try dataset.count > 0 ? dataset.example(at: 0).image.channels : 3
        var source = DataSource(dataset: dataset, train: split.train, val: split.val, test: split.test,
                                labelNames: o.labels, voteColumns: o.votes, channels: channels, imageSize: o.imageSize,
                                summary: "")
        source.normalize = o.normalize
        source.maskNames = o.masks
        source.boxClasses = dataset.boxClasses
        source = source.limitingTraining(to: o.maxLabels, seed: context.seed)
        source.summary = "\(dataset.count) galaxies from \((path as NSString).lastPathComponent): \(source.train.count) train / \(source.val.count) val / \(source.test.count) test, \(channels)×\(o.imageSize)²"
        return source
    }
}
