import CPNG

/// PNG decoding and encoding through libpng's simplified API (`png_image_*`), whose longjmp
/// error path stays inside libpng, so errors come back as return codes we can throw.
///
/// Decoding accepts every PNG colour type and bit depth (1–16 bit grey, grey+alpha, RGB,
/// RGBA, palette with or without tRNS) and gives values in [0, 1]:
/// - grey (with or without alpha) → 1 channel; colour and palette → 3 channels (RGB);
/// - the alpha channel, if any, is **dropped** — colour values are returned as stored,
///   not composited; pixels of 16-bit files with alpha 0 read as 0 (libpng hands 16-bit
///   data over premultiplied by alpha, which we undo where alpha > 0);
/// - files up to 8 bits are returned as their sRGB-encoded values (value/255); 16-bit files
///   as libpng's linear 16-bit values (value/65535) — unchanged for the usual 16-bit file
///   without a gAMA chunk, which libpng treats as linear already.
/// The declared width × height × channels are checked against `ImageLimits` before any
/// pixel buffer is allocated.
public enum PNGCodec {
    private static let alphaFlag = UInt32(PNG_FORMAT_FLAG_ALPHA)
    private static let colorFlag = UInt32(PNG_FORMAT_FLAG_COLOR)
    private static let linearFlag = UInt32(PNG_FORMAT_FLAG_LINEAR)
    private static let colormapFlag = UInt32(PNG_FORMAT_FLAG_COLORMAP)

    /// Reads and decodes the PNG file at `path`.
    public static func read(path: String, limits: ImageLimits = .standard) throws -> Image {
        try decode(try FileIO.read(path), source: path, limits: limits)
    }

    /// Decodes PNG bytes; `source` names them in errors.
    public static func decode(_ bytes: [UInt8], source: String = "<memory>",
                              limits: ImageLimits = .standard) throws -> Image {
        guard !bytes.isEmpty else { throw ImageFileError.empty(path: source) }
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&png) }
        // libpng keeps a pointer to the bytes between begin and finish: both happen in here.
        return try bytes.withUnsafeBytes { raw -> Image in
            guard png_image_begin_read_from_memory(&png, raw.baseAddress, raw.count) != 0 else {
                throw ImageFileError.corrupt(path: source, format: "PNG", message: message(of: &png))
            }
            let color = png.format & colorFlag != 0
            let alpha = png.format & alphaFlag != 0
            let sixteen = png.format & linearFlag != 0
            let width = Int(png.width), height = Int(png.height)
            let outChannels = color ? 3 : 1
            let stored = outChannels + (alpha ? 1 : 0)
            try limits.check(width: width, height: height, channels: stored, path: source, format: "PNG")
            png.format = (color ? colorFlag : 0) | (alpha ? alphaFlag : 0) | (sixteen ? linearFlag : 0)
            let plane = width * height
            if sixteen {
                var buffer = [UInt16](repeating: 0, count: plane * stored)
                let ok = buffer.withUnsafeMutableBytes { png_image_finish_read(&png, nil, $0.baseAddress, 0, nil) }
                guard ok != 0 else { throw ImageFileError.corrupt(path: source, format: "PNG", message: message(of: &png)) }
                var pixels = [Float](repeating: 0, count: outChannels * plane)
                deinterleave16(buffer, into: &pixels, plane: plane, colors: outChannels, alpha: alpha)
                return Image(channels: outChannels, height: height, width: width, pixels: pixels)
            } else {
                var buffer = [UInt8](repeating: 0, count: plane * stored)
                let ok = buffer.withUnsafeMutableBytes { png_image_finish_read(&png, nil, $0.baseAddress, 0, nil) }
                guard ok != 0 else { throw ImageFileError.corrupt(path: source, format: "PNG", message: message(of: &png)) }
                return Image.fromInterleaved(buffer, channels: outChannels, stride: stored, height: height, width: width)
            }
        }
    }

    /// Encodes an image with 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA) channels as an
    /// 8-bit PNG. Values are clamped to [0, 1] and rounded to k/255; NaN becomes 0.
    public static func encode(_ image: Image) throws -> [UInt8] {
        let format = try formatFor(channels: image.channels)
        let buffer = interleave(image) { v -> UInt8 in UInt8(clampedUnit(v) * 255 + 0.5) }
        return try buffer.withUnsafeBytes { try write(format: format, image: image, buffer: $0, colormap: nil) }
    }

    /// Encodes an image as a 16-bit linear PNG (values clamped to [0, 1], rounded to k/65535).
    public static func encode16(_ image: Image) throws -> [UInt8] {
        let format = try formatFor(channels: image.channels) | linearFlag
        let hasAlpha = image.channels == 2 || image.channels == 4
        // libpng takes 16-bit data with alpha premultiplied (associated); store it that way.
        var buffer = interleave(image) { v -> UInt16 in UInt16(clampedUnit(v) * 65535 + 0.5) }
        if hasAlpha {
            let stride = image.channels
            for p in 0..<(image.width * image.height) {
                let a = Double(buffer[p * stride + stride - 1]) / 65535
                for c in 0..<(stride - 1) { buffer[p * stride + c] = UInt16(Double(buffer[p * stride + c]) * a + 0.5) }
            }
        }
        return try buffer.withUnsafeBytes { try write(format: format, image: image, buffer: $0, colormap: nil) }
    }

    /// Encodes a palette (colour-mapped) PNG: one palette index per pixel, row-major, and up to
    /// 256 RGB palette entries. Suits label maps such as segmentation classes.
    public static func encodeIndexed(indices: [UInt8], width: Int, height: Int,
                                     palette: [(r: UInt8, g: UInt8, b: UInt8)]) throws -> [UInt8] {
        guard (1...256).contains(palette.count) else {
            throw ImageFileError.invalidRequest(path: "<memory>", detail: "PNG palette must have 1–256 entries, not \(palette.count)")
        }
        guard width > 0, height > 0, indices.count == width * height else {
            throw ImageFileError.invalidRequest(path: "<memory>", detail: "\(indices.count) indices for a \(width)×\(height) image")
        }
        if let bad = indices.first(where: { Int($0) >= palette.count }) {
            throw ImageFileError.invalidRequest(path: "<memory>", detail: "palette index \(bad) beyond \(palette.count) entries")
        }
        let map = palette.flatMap { [$0.r, $0.g, $0.b] }
        let shape = Image(channels: 1, height: height, width: width)
        return try indices.withUnsafeBytes { buf in
            try map.withUnsafeBytes { cmap in
                try write(format: colorFlag | colormapFlag, image: shape, buffer: buf, colormap: cmap,
                          colormapEntries: palette.count)
            }
        }
    }

    /// Writes `image` as an 8-bit PNG to `path`, atomically (temporary file, then rename).
    public static func write(_ image: Image, to path: String) throws {
        try FileIO.writeAtomically(try encode(image), to: path)
    }

    // MARK: - Helpers

    private static func formatFor(channels: Int) throws -> UInt32 {
        switch channels {
        case 1: return 0
        case 2: return alphaFlag
        case 3: return colorFlag
        case 4: return colorFlag | alphaFlag
        default:
            throw ImageFileError.invalidRequest(path: "<memory>", detail: "PNG holds 1–4 channels, not \(channels)")
        }
    }

    @inline(__always)
    private static func clampedUnit(_ v: Float) -> Float { v.isNaN ? 0 : min(max(v, 0), 1) }

    /// Planes → interleaved samples, converted by `convert`.
    private static func interleave<T: FixedWidthInteger>(_ image: Image, _ convert: (Float) -> T) -> [T] {
        let plane = image.width * image.height, c = image.channels
        var out = [T](repeating: 0, count: plane * c)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for ch in 0..<c {
                    for p in 0..<plane { dst[p &* c &+ ch] = convert(src[ch &* plane &+ p]) }
                }
            }
        }
        return out
    }

    private static func deinterleave16(_ buffer: [UInt16], into pixels: inout [Float], plane: Int, colors: Int, alpha: Bool) {
        let stride = colors + (alpha ? 1 : 0)
        buffer.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                for p in 0..<plane {
                    // Undo libpng's premultiplication; fully transparent pixels have no colour left.
                    let a: Float = alpha ? Float(src[p &* stride &+ colors]) : 65535
                    for ch in 0..<colors {
                        let v = Float(src[p &* stride &+ ch])
                        dst[ch &* plane &+ p] = a > 0 ? min(1, v / a) : 0
                    }
                }
            }
        }
    }

    /// Encodes with png_image_write_to_memory: once to learn the size, once to write.
    private static func write(format: UInt32, image: Image, buffer: UnsafeRawBufferPointer,
                              colormap: UnsafeRawBufferPointer?, colormapEntries: Int = 0) throws -> [UInt8] {
        guard image.width > 0, image.height > 0 else {
            throw ImageFileError.invalidRequest(path: "<memory>", detail: "cannot encode an empty \(image.width)×\(image.height) PNG")
        }
        func setUp() -> png_image {
            var png = png_image()
            png.version = UInt32(PNG_IMAGE_VERSION)
            png.width = UInt32(image.width)
            png.height = UInt32(image.height)
            png.format = format
            png.colormap_entries = UInt32(colormapEntries)
            return png
        }
        var png = setUp()
        var size: png_alloc_size_t = 0
        guard png_image_write_to_memory(&png, nil, &size, 0, buffer.baseAddress, 0, colormap?.baseAddress) != 0 else {
            throw ImageFileError.corrupt(path: "<memory>", format: "PNG", message: "encoder: " + message(of: &png))
        }
        var out = [UInt8](repeating: 0, count: Int(size))
        png = setUp()
        let ok = out.withUnsafeMutableBytes {
            png_image_write_to_memory(&png, $0.baseAddress, &size, 0, buffer.baseAddress, 0, colormap?.baseAddress)
        }
        guard ok != 0 else {
            throw ImageFileError.corrupt(path: "<memory>", format: "PNG", message: "encoder: " + message(of: &png))
        }
        out.removeSubrange(Int(size)...)
        return out
    }

    /// libpng's message (a fixed 64-byte C string inside png_image).
    private static func message(of png: inout png_image) -> String {
        let text = withUnsafeBytes(of: &png.message) { raw -> String in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
        return text.isEmpty ? "libpng reported an error without a message" : text
    }
}
