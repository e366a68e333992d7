import CJPEG

/// JPEG decoding through libjpeg-turbo.
///
/// libjpeg reports errors by longjmp, which must not cross Swift frames, so the decode runs
/// entirely inside `zr_jpeg_decode` (Sources/CLibraries/CJPEG/shim.h), which catches the jump
/// and returns a status code plus libjpeg's message. Decoding is two-phase: the header is read
/// and its dimensions checked against `ImageLimits` before the pixel buffer is allocated.
/// Greyscale files give 1 channel, YCbCr and RGB files 3 (RGB); CMYK is refused. Values are
/// k/255. Truncated or corrupt data, which libjpeg only warns about (padding with grey), is
/// an error.
public enum JPEGCodec {
    /// Reads and decodes the JPEG file at `path`.
    public static func read(path: String, limits: ImageLimits = .standard) throws -> Image {
        try decode(try FileIO.read(path), source: path, limits: limits)
    }

    /// Decodes JPEG bytes; `source` names them in errors.
    public static func decode(_ bytes: [UInt8], source: String = "<memory>",
                              limits: ImageLimits = .standard) throws -> Image {
        guard !bytes.isEmpty else { throw ImageFileError.empty(path: source) }
        var message = [CChar](repeating: 0, count: 256)
        var w: Int32 = 0, h: Int32 = 0, c: Int32 = 0

        func check(_ status: Int32) throws {
            guard Int(status) != ZR_JPEG_OK else { return }
            let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            switch Int(status) {
            case ZR_JPEG_TOO_LARGE:
                throw ImageFileError.tooLarge(path: source, format: "JPEG", width: Int(w), height: Int(h),
                                              channels: Int(c), limits: limits)
            case ZR_JPEG_UNSUPPORTED:
                throw ImageFileError.unsupported(path: source, format: "JPEG", detail: text)
            default:
                throw ImageFileError.corrupt(path: source, format: "JPEG", message: text)
            }
        }

        let maxSide = limits.maxSide, maxValues = Int64(limits.maxValues)
        let header = bytes.withUnsafeBufferPointer { data in
            zr_jpeg_decode(data.baseAddress, data.count, maxSide, maxValues, nil, 0, &w, &h, &c,
                           &message, message.count)
        }
        try check(header)
        try limits.check(width: Int(w), height: Int(h), channels: Int(c), path: source, format: "JPEG")
        let width = Int(w), height = Int(h), channels = Int(c)
        var samples = [UInt8](repeating: 0, count: width * height * channels)
        let status = bytes.withUnsafeBufferPointer { data in
            samples.withUnsafeMutableBufferPointer { out in
                zr_jpeg_decode(data.baseAddress, data.count, maxSide, maxValues, out.baseAddress, out.count,
                               &w, &h, &c, &message, message.count)
            }
        }
        try check(status)
        guard Int(w) == width, Int(h) == height, Int(c) == channels else {
            throw ImageFileError.corrupt(path: source, format: "JPEG", message: "header changed between reads")
        }
        return Image.fromInterleaved(samples, channels: channels, stride: channels, height: height, width: width)
    }
}
