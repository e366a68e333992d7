/// The image formats we decode, recognised by file-name extension (case-insensitive).
public enum ImageFormat: String, Sendable, CaseIterable {
    case png = "PNG"
    case jpeg = "JPEG"
    case fits = "FITS"

    /// The format of `path` from its extension, or nil. A FITS path may end in an HDU
    /// selector such as `image.fits[1]` or `image.fits.gz[SCI]`; it is ignored here.
    public init?(path: String) {
        var name = path.lowercased()
        if name.hasSuffix("]"), let open = name.lastIndex(of: "[") { name = String(name[..<open]) }
        if name.hasSuffix(".png") {
            self = .png
        } else if name.hasSuffix(".jpg") || name.hasSuffix(".jpeg") {
            self = .jpeg
        } else if [".fits", ".fit", ".fts", ".fits.gz", ".fit.gz", ".fts.gz"].contains(where: { name.hasSuffix($0) }) {
            self = .fits
        } else {
            return nil
        }
    }
}
