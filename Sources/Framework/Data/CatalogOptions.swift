/// How to read a galaxy catalog (see `CatalogDataset`). Every key is optional in a config.
public struct CatalogOptions: Codable, Sendable, Equatable {
    /// What to do with a row whose image is missing or unreadable.
    public enum BadImagePolicy: String, Codable, Sendable {
        /// Stop with an error naming the row and file.
        case error
        /// Leave the row out and record it in `CatalogDataset.skipped` (and skipped.csv).
        case skip
    }

    /// Numeric columns that become `Example.labels` (class indices, regression targets,
    /// vote fractions).
    public var labelColumns: [String]
    /// Vote-count columns (`question_answer`) that become `Example.votes`.
    public var voteColumns: [String]
    /// Mask types to read, each from a `<name>_mask_loc` column: a PNG or FITS file per
    /// galaxy (binary, or soft values in [0, 1] such as volunteer fractions) on the image's
    /// pixel grid; an empty cell means the galaxy has no mask of that type.
    public var masks: [String]
    /// A box file for the catalog's galaxies (CSV `id_str,label,x_min,y_min,x_max,y_max` or
    /// COCO JSON), resolved against the catalog's folder; nil: no boxes.
    public var boxes: String?
    /// Box class names in label order (label k is `boxClasses[k - 1]`); empty: as the box
    /// file names them.
    public var boxClasses: [String]
    /// A numeric column whose value (finite, ≥ 0) weighs each galaxy's training loss;
    /// nil weighs every galaxy 1.
    public var weightColumn: String?
    /// Square side the images are resized to; nil keeps each file's size.
    public var imageSize: Int?
    /// Whether file_loc may point outside the catalog's folder (after resolving `..` and
    /// symbolic links). Off by default, so a catalog cannot read arbitrary files.
    public var allowOutsideCatalogFolder: Bool
    /// Missing or unreadable images: stop, or skip and record.
    public var onBadImage: BadImagePolicy
    /// Decode every image when the catalog is opened, so unreadable files are found before
    /// training rather than during it. Missing files are always found at opening.
    public var verifyImages: Bool
    /// HDU and bands for FITS images.
    public var fits: FITSReadOptions
    /// Display scaling for FITS images.
    public var scaling: DisplayScaling

    public init(labelColumns: [String] = [], voteColumns: [String] = [], masks: [String] = [], boxes: String? = nil,
                boxClasses: [String] = [], weightColumn: String? = nil, imageSize: Int? = nil,
                allowOutsideCatalogFolder: Bool = false, onBadImage: BadImagePolicy = .error,
                verifyImages: Bool = false, fits: FITSReadOptions = .init(), scaling: DisplayScaling = .init()) {
        self.labelColumns = labelColumns
        self.voteColumns = voteColumns
        self.masks = masks
        self.boxes = boxes
        self.boxClasses = boxClasses
        self.weightColumn = weightColumn
        self.imageSize = imageSize
        self.allowOutsideCatalogFolder = allowOutsideCatalogFolder
        self.onBadImage = onBadImage
        self.verifyImages = verifyImages
        self.fits = fits
        self.scaling = scaling
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            labelColumns: try c.decodeIfPresent([String].self, forKey: .labelColumns) ?? [],
            voteColumns: try c.decodeIfPresent([String].self, forKey: .voteColumns) ?? [],
            masks: try c.decodeIfPresent([String].self, forKey: .masks) ?? [],
            boxes: try c.decodeIfPresent(String.self, forKey: .boxes),
            boxClasses: try c.decodeIfPresent([String].self, forKey: .boxClasses) ?? [],
            weightColumn: try c.decodeIfPresent(String.self, forKey: .weightColumn),
            imageSize: try c.decodeIfPresent(Int.self, forKey: .imageSize),
            allowOutsideCatalogFolder: try c.decodeIfPresent(Bool.self, forKey: .allowOutsideCatalogFolder) ?? false,
            onBadImage: try c.decodeIfPresent(BadImagePolicy.self, forKey: .onBadImage) ?? .error,
            verifyImages: try c.decodeIfPresent(Bool.self, forKey: .verifyImages) ?? false,
            fits: try c.decodeIfPresent(FITSReadOptions.self, forKey: .fits) ?? .init(),
            scaling: try c.decodeIfPresent(DisplayScaling.self, forKey: .scaling) ?? .init())
        if let s = imageSize, s <= 0 {
            throw DecodingError.dataCorruptedError(forKey: .imageSize, in: c, debugDescription: "imageSize must be positive, got \(s)")
        }
    }

    /// The image loader these options describe.
    public var loader: ImageLoader { ImageLoader(size: imageSize, fits: fits, scaling: scaling) }
}
