/// An image file that could not be decoded or encoded, naming the file (or `<memory>`) and
/// the format, with the codec library's own message where there is one.
public enum ImageFileError: Error, CustomStringConvertible, Equatable {
    /// The file name's extension is not one we decode.
    case unknownFormat(path: String)
    /// The file has no bytes.
    case empty(path: String)
    /// The declared dimensions exceed the limits (refused before allocating).
    case tooLarge(path: String, format: String, width: Int, height: Int, channels: Int, limits: ImageLimits)
    /// The codec library rejected the data.
    case corrupt(path: String, format: String, message: String)
    /// Valid data of a kind we do not handle (CMYK JPEG, a FITS table, 4-D cube, …).
    case unsupported(path: String, format: String, detail: String)
    /// Every pixel of a band is NaN or BLANK, so there is nothing to fill missing pixels with.
    case allMissing(path: String, band: Int)
    /// A request that does not fit this image (a band or HDU that does not exist, an image
    /// with a channel count the encoder cannot write, …).
    case invalidRequest(path: String, detail: String)

    public var description: String {
        switch self {
        case let .unknownFormat(path):
            return "\(path): unknown image format (expected .png, .jpg, .jpeg, .fits, .fit, .fts or .fits.gz)"
        case let .empty(path):
            return "\(path): empty file"
        case let .tooLarge(path, format, w, h, c, limits):
            return "\(path): \(format) declares \(w)×\(h) pixels × \(c) channels, beyond the limit of "
                + "\(limits.maxSide) px per side and \(limits.maxValues) values; refused before decoding"
        case let .corrupt(path, format, message):
            return "\(path): not a readable \(format): \(message)"
        case let .unsupported(path, format, detail):
            return "\(path): unsupported \(format): \(detail)"
        case let .allMissing(path, band):
            return "\(path): band \(band) has no finite pixels (all NaN or BLANK)"
        case let .invalidRequest(path, detail):
            return "\(path): \(detail)"
        }
    }
}
