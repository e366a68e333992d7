/// The largest image a decoder will allocate for, checked against the dimensions a file
/// declares before any pixel buffer exists, so a hostile header cannot exhaust memory.
public struct ImageLimits: Sendable, Equatable {
    /// Largest width or height, in pixels.
    public var maxSide: Int
    /// Largest width × height × channels (values, each a 4-byte Float once decoded).
    public var maxValues: Int

    public init(maxSide: Int = 16_384, maxValues: Int = 1 << 28) {
        self.maxSide = maxSide
        self.maxValues = maxValues
    }

    /// 16384 px per side and 2^28 values (1 GiB of Float32).
    public static let standard = ImageLimits()

    /// Throws `ImageFileError.tooLarge` unless the declared size is positive and within limits.
    public func check(width: Int, height: Int, channels: Int, path: String, format: String) throws {
        let ok = width > 0 && height > 0 && channels > 0 && width <= maxSide && height <= maxSide
            && channels <= maxValues && width * height <= maxValues / channels
        guard ok else {
            throw ImageFileError.tooLarge(path: path, format: format, width: width, height: height,
                                          channels: channels, limits: self)
        }
    }
}
