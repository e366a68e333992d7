/// Turns an image file into the pixels a model sees: decode by extension; for FITS, choose
/// the HDU and bands and apply the display scaling; then resize to the configured size.
/// PNG and JPEG are already display images, so their values (k/255) are kept as they are.
public struct ImageLoader: Sendable, Equatable {
    /// Square output side in pixels; nil keeps each file's own size.
    public var size: Int?
    /// HDU and band choice for FITS files.
    public var fits: FITSReadOptions
    /// Percentile clip and arcsinh stretch for FITS files.
    public var scaling: DisplayScaling
    /// Largest image a decoder will allocate for.
    public var limits: ImageLimits

    public init(size: Int? = nil, fits: FITSReadOptions = .init(), scaling: DisplayScaling = .init(),
                limits: ImageLimits = .standard) {
        self.size = size
        self.fits = fits
        self.scaling = scaling
        self.limits = limits
    }

    /// A decoded file before resizing, with what the decoder reports.
    public struct Decoded: Sendable {
        public var image: Image
        public var format: ImageFormat
        /// For FITS: per band, the fraction of missing pixels that were filled.
        public var missingFraction: [Double]?
        /// For FITS: the 0-based HDU read and its BITPIX.
        public var hdu: Int?
        public var bitpix: Int?
    }

    /// Decodes (and for FITS scales) the file at `path`, without resizing. A FITS path may end
    /// in an HDU selector (`file.fits[1]`).
    public func decode(path: String) throws -> Decoded {
        guard let format = ImageFormat(path: path) else { throw ImageFileError.unknownFormat(path: path) }
        switch format {
        case .png:
            return Decoded(image: try PNGCodec.read(path: path, limits: limits), format: format)
        case .jpeg:
            return Decoded(image: try JPEGCodec.read(path: path, limits: limits), format: format)
        case .fits:
            let f = try FITSCodec.read(path: path, options: fits, limits: limits)
            return Decoded(image: try scaling.apply(f.image), format: format, missingFraction: f.missingFraction,
                           hdu: f.hdu, bitpix: f.bitpix)
        }
    }

    /// Decodes the file at `path` and resizes it to `size` × `size` when a size is set.
    public func load(path: String) throws -> Image {
        let image = try decode(path: path).image
        guard let s = size else { return image }
        return try Resize.apply(image, height: s, width: s)
    }

    /// The file that holds the pixels of `path`: for FITS, the path without an HDU selector.
    public static func filePath(of path: String) -> String {
        ImageFormat(path: path) == .fits ? FITSHDU.split(path: path).file : path
    }
}
