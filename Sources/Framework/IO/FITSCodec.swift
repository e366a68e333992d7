import CFITSIO

/// FITS images through cfitsio: reading any image HDU (2-D, or 3-D as bands × H × W) with
/// any BITPIX, scaling and missing pixels handled, and writing 2-D/3-D images.
///
/// Reading asks cfitsio for Float32 (`TFLOAT`), so BSCALE/BZERO are applied by cfitsio, and
/// passes NaN as the null value, so BLANK pixels of integer images arrive as NaN. Every
/// non-finite pixel (NaN, BLANK, ±inf) is then replaced by the median of its band's finite
/// pixels, and the replaced fraction is reported; a band with no finite pixel is an error.
/// Rows stay in storage order (FITS y = 1 first, as astropy returns them). Axes beyond the
/// third must have length 1. Files are opened with `ffdkopn`, which does not interpret
/// cfitsio's extended file-name syntax (so a catalog cannot make cfitsio run a URL or a
/// pipe); `.gz` files are decompressed by cfitsio after the gzip trailer's declared size is
/// checked against the limits. Only this file imports CFITSIO.
public enum FITSCodec {
    private typealias FITSFile = UnsafeMutablePointer<fitsfile>

    // MARK: Reading

    /// Reads `path`, which may end in an HDU selector (`file.fits[1]`, `file.fits[SCI]`).
    public static func read(path: String, options: FITSReadOptions = .init(),
                            limits: ImageLimits = .standard) throws -> FITSImage {
        let (file, selector) = FITSHDU.split(path: path)
        return try readFile(file, source: path, hdu: selector ?? options.hdu, bands: options.bands, limits: limits)
    }

    /// Decodes FITS bytes held in memory; `source` names them in errors.
    ///
    /// The bytes go through a temporary file rather than cfitsio's memory driver: with
    /// `ffomem`, cfitsio 4.2 reads past the end of a buffer whose header declares more data
    /// than it holds (seen here as a segfault behind a guard page), while its disk driver
    /// reports end-of-file.
    public static func decode(_ bytes: [UInt8], source: String = "<memory>", options: FITSReadOptions = .init(),
                              limits: ImageLimits = .standard) throws -> FITSImage {
        guard !bytes.isEmpty else { throw ImageFileError.empty(path: source) }
        let temp = FileManager.default.temporaryDirectory.path
            + "/zoorun-fits-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).fits"
        try FileIO.writeAtomically(bytes, to: temp)
        defer { unlink(temp) }
        return try readFile(temp, source: source, hdu: options.hdu, bands: options.bands, limits: limits)
    }

    private static func readFile(_ file: String, source: String, hdu: FITSHDU?, bands: [Int]?,
                                 limits: ImageLimits) throws -> FITSImage {
        let size = try FileIO.fileSize(file)  // a missing file fails here, with the OS's reason
        guard size > 0 else { throw ImageFileError.empty(path: source) }
        try checkGzipSize(file: file, source: source, limits: limits)
        var status: Int32 = 0
        var fptr: FITSFile?
        guard ffdkopn(&fptr, file, READONLY, &status) == 0, let f = fptr else {
            throw ImageFileError.corrupt(path: source, format: "FITS", message: errorText(status))
        }
        defer { var s: Int32 = 0; ffclos(f, &s) }
        return try readOpen(f, source: source, hdu: hdu, bands: bands, limits: limits)
    }

    private static func readOpen(_ f: FITSFile, source: String, hdu: FITSHDU?, bands: [Int]?,
                                 limits: ImageLimits) throws -> FITSImage {
        var status: Int32 = 0
        func fail(_ what: String) -> ImageFileError {
            .corrupt(path: source, format: "FITS", message: what + ": " + errorText(status))
        }
        var type: Int32 = 0
        switch hdu {
        case let .index(n)?:
            guard n >= 0, n < 100_000 else {
                throw ImageFileError.invalidRequest(path: source, detail: "HDU number \(n) is out of range")
            }
            if ffmahd(f, Int32(n + 1), &type, &status) != 0 {
                throw ImageFileError.invalidRequest(path: source, detail: "no HDU \(n) (\(errorText(status)))")
            }
        case let .name(name)?:
            var cname = Array(name.utf8CString)
            if ffmnhd(f, ANY_HDU, &cname, 0, &status) != 0 {
                throw ImageFileError.invalidRequest(path: source, detail: "no extension named '\(name)'")
            }
            ffghdt(f, &type, &status)
        case nil:
            ffghdt(f, &type, &status)
        }
        guard status == 0 else { throw fail("reading the HDU") }

        var bitpix: Int32 = 0, naxis: Int32 = 0
        var naxes = [Int64](repeating: 0, count: 9)
        func readShape() throws {
            guard type == IMAGE_HDU else {
                throw ImageFileError.unsupported(path: source, format: "FITS", detail: "HDU \(currentHDU(f)) is a table, not an image")
            }
            if ffgiprll(f, 9, &bitpix, &naxis, &naxes, &status) != 0 { throw fail("reading the image header") }
        }
        try readShape()
        if hdu == nil && naxis == 0 {
            // Multi-extension files keep their data in extensions: take the first image with data.
            var moved = false
            while ffmrhd(f, 1, &type, &status) == 0 {
                if type == IMAGE_HDU, ffgiprll(f, 9, &bitpix, &naxis, &naxes, &status) == 0, naxis > 0 {
                    moved = true
                    break
                }
            }
            status = 0
            guard moved else {
                throw ImageFileError.unsupported(path: source, format: "FITS", detail: "no HDU holds image data")
            }
        }
        guard naxis >= 2 else {
            throw ImageFileError.unsupported(path: source, format: "FITS",
                                             detail: "HDU \(currentHDU(f)) has \(naxis) axes; need 2 (image) or 3 (bands × H × W)")
        }
        let dims = naxes.prefix(Int(min(naxis, 9))).map { Int($0) }
        if dims.count > 3, dims[3...].contains(where: { $0 != 1 }) {
            throw ImageFileError.unsupported(path: source, format: "FITS",
                                             detail: "HDU \(currentHDU(f)) has shape \(dims) (FITS order); axes beyond the third must be 1")
        }
        let width = dims[0], height = dims[1], depth = dims.count > 2 ? dims[2] : 1
        guard width > 0, height > 0, depth > 0 else {
            throw ImageFileError.unsupported(path: source, format: "FITS", detail: "empty image of shape \(dims) (FITS order)")
        }
        let chosen = bands ?? Array(0..<min(depth, limits.maxValues))
        if let bad = chosen.first(where: { $0 < 0 || $0 >= depth }) {
            throw ImageFileError.invalidRequest(path: source, detail: "band \(bad) does not exist (the image has \(depth) band\(depth == 1 ? "" : "s"))")
        }
        try limits.check(width: width, height: height, channels: max(1, chosen.count), path: source, format: "FITS")
        guard !chosen.isEmpty else { throw ImageFileError.invalidRequest(path: source, detail: "no bands selected") }

        let plane = width * height
        var pixels = [Float](repeating: 0, count: chosen.count * plane)
        var missing: [Double] = []
        var nan = Float.nan
        for (k, band) in chosen.enumerated() {
            var first: [Int64] = [1, 1, Int64(band + 1)] + [Int64](repeating: 1, count: max(0, dims.count - 3))
            var anyNull: Int32 = 0
            let rc = pixels.withUnsafeMutableBufferPointer { buf in
                ffgpxvll(f, TFLOAT, &first, Int64(plane), &nan, buf.baseAddress! + k * plane, &anyNull, &status)
            }
            if rc != 0 { throw fail("reading band \(band)") }
            let fraction = try pixels.withUnsafeMutableBufferPointer { buf in
                try fillMissing(UnsafeMutableBufferPointer(rebasing: buf[(k * plane)..<((k + 1) * plane)]),
                                source: source, band: band)
            }
            missing.append(fraction)
        }
        let image = Image(channels: chosen.count, height: height, width: width, pixels: pixels)
        return FITSImage(image: image, hdu: currentHDU(f), bitpix: Int(bitpix), missingFraction: missing)
    }

    /// Replaces non-finite values by the median of the finite ones; returns the replaced fraction.
    static func fillMissing(_ band: UnsafeMutableBufferPointer<Float>, source: String, band index: Int) throws -> Double {
        var finite: [Float] = []
        var bad = 0
        for v in band { if v.isFinite { finite.append(v) } else { bad += 1 } }
        if bad == 0 { return 0 }
        guard !finite.isEmpty else { throw ImageFileError.allMissing(path: source, band: index) }
        finite.sort()
        let m = finite.count
        let median = m % 2 == 1 ? finite[m / 2] : (finite[m / 2 - 1] + finite[m / 2]) / 2
        for i in band.indices where !band[i].isFinite { band[i] = median }
        return Double(bad) / Double(band.count)
    }

    /// 0-based number of the current HDU.
    private static func currentHDU(_ f: FITSFile) -> Int {
        var n: Int32 = 0
        ffghdn(f, &n)
        return Int(n) - 1
    }

    /// A gzip file's trailer holds its uncompressed size (mod 2^32); cfitsio allocates that much.
    private static func checkGzipSize(file: String, source: String, limits: ImageLimits) throws {
        guard file.lowercased().hasSuffix(".gz") else { return }
        let bytes = try FileIO.read(file)
        guard bytes.count >= 18, bytes[0] == 0x1F, bytes[1] == 0x8B else {
            throw ImageFileError.corrupt(path: source, format: "FITS", message: "not a gzip file")
        }
        let n = bytes.count
        let size = Int(bytes[n - 4]) | Int(bytes[n - 3]) << 8 | Int(bytes[n - 2]) << 16 | Int(bytes[n - 1]) << 24
        // Data plus a generous allowance for headers; an honest file never comes near.
        guard size <= limits.maxValues * 8 + (1 << 24) else {
            throw ImageFileError.tooLarge(path: source, format: "FITS", width: size, height: 1, channels: 1, limits: limits)
        }
    }

    // MARK: Writing

    /// Writes `image` as a Float32 FITS file (primary HDU; 2-D for 1 channel, else 3-D).
    public static func write(_ image: Image, to path: String) throws {
        try write([FITSWriteHDU(image: image)], to: path)
    }

    /// Writes HDUs (the first is the primary) to `path`, atomically: cfitsio writes a
    /// temporary file beside it, which is then renamed.
    public static func write(_ hdus: [FITSWriteHDU], to path: String) throws {
        guard !hdus.isEmpty else { throw ImageFileError.invalidRequest(path: path, detail: "no HDUs to write") }
        try FileIO.writeAtomically(to: path) { temp in
            var status: Int32 = 0
            var fptr: FITSFile?
            guard ffdkinit(&fptr, temp, &status) == 0, let f = fptr else {
                throw FileError.cannotWrite(path: path, reason: errorText(status))
            }
            var closed = false
            defer { if !closed { var s: Int32 = 0; ffclos(f, &s) } }
            for (k, hdu) in hdus.enumerated() {
                try writeHDU(f, hdu, number: k, path: path)
            }
            closed = true
            if ffclos(f, &status) != 0 { throw FileError.cannotWrite(path: path, reason: errorText(status)) }
        }
    }

    private static func writeHDU(_ f: FITSFile, _ hdu: FITSWriteHDU, number: Int, path: String) throws {
        var status: Int32 = 0
        func fail(_ what: String) -> FileError { .cannotWrite(path: path, reason: "HDU \(number): \(what): \(errorText(status))") }
        guard [8, 16, 32, 64, -32, -64].contains(hdu.bitpix) else {
            throw ImageFileError.invalidRequest(path: path, detail: "BITPIX \(hdu.bitpix) is not one of 8, 16, 32, 64, −32, −64")
        }
        guard let image = hdu.image else {
            guard number == 0 else { throw ImageFileError.invalidRequest(path: path, detail: "only the primary HDU may be empty") }
            var none: [Int64] = []
            if ffcrimll(f, Int32(hdu.bitpix), 0, &none, &status) != 0 { throw fail("creating the HDU") }
            return
        }
        var axes: [Int64] = image.channels == 1 ? [Int64(image.width), Int64(image.height)]
            : [Int64(image.width), Int64(image.height), Int64(image.channels)]
        if ffcrimll(f, Int32(hdu.bitpix), Int32(axes.count), &axes, &status) != 0 { throw fail("creating the HDU") }
        if let name = hdu.name {
            var value = Array(name.utf8CString)
            if ffpky(f, TSTRING, "EXTNAME", &value, "", &status) != 0 { throw fail("writing EXTNAME") }
        }
        if hdu.bscale != 1 || hdu.bzero != 0 {
            var s = hdu.bscale, z = hdu.bzero
            if ffpky(f, TDOUBLE, "BSCALE", &s, "", &status) != 0 || ffpky(f, TDOUBLE, "BZERO", &z, "", &status) != 0
                || ffpscl(f, s, z, &status) != 0 {
                throw fail("writing BSCALE/BZERO")
            }
        }
        let integer = hdu.bitpix > 0
        var pixels = image.pixels
        var first = [Int64](repeating: 1, count: axes.count)
        let n = Int64(pixels.count)
        if integer, let blank = hdu.blank {
            var b = blank
            if ffpky(f, TLONGLONG, "BLANK", &b, "", &status) != 0 || ffpnul(f, blank, &status) != 0 {
                throw fail("writing BLANK")
            }
            // cfitsio writes BLANK where a value equals the null value; NaN equals nothing.
            var sentinel = -Float.greatestFiniteMagnitude
            for i in pixels.indices where pixels[i].isNaN { pixels[i] = sentinel }
            if ffppxnll(f, TFLOAT, &first, n, &pixels, &sentinel, &status) != 0 { throw fail("writing pixels") }
        } else {
            if integer, pixels.contains(where: { $0.isNaN }) {
                throw ImageFileError.invalidRequest(path: path, detail: "NaN pixels in an integer HDU need a BLANK value")
            }
            if ffppxll(f, TFLOAT, &first, n, &pixels, &status) != 0 { throw fail("writing pixels") }
        }
    }

    /// cfitsio's text for `status` plus the messages on its error stack (which this clears).
    static func errorText(_ status: Int32) -> String {
        var text = [CChar](repeating: 0, count: Int(FLEN_STATUS) + 1)
        ffgerr(status, &text)
        var parts = [String(cString: text)]
        var message = [CChar](repeating: 0, count: Int(FLEN_ERRMSG) + 1)
        while ffgmsg(&message) != 0 {
            let m = String(cString: message).trimmingCharacters(in: .whitespaces)
            if !m.isEmpty && !parts.contains(m) { parts.append(m) }
            if parts.count > 6 { ffcmsg(); break }
        }
        return parts.joined(separator: "; ")
    }
}

import Foundation
