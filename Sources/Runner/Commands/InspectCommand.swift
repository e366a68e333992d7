import ArgumentParser
import Foundation
import Framework

/// `zoorun inspect PATH`: what zoorun makes of an image or a catalog, before training on it.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe an image (PNG, JPEG, FITS) or a catalog CSV as zoorun reads it.",
        discussion: """
        An image: format, shape, and per-band min / max / mean after decoding (and, for FITS,
        after the percentile + arcsinh display scaling). A catalog: rows, columns, a summary of
        each label column, its masks (every <name>_mask_loc column) and boxes (--boxes FILE), and
        every row whose image or mask is missing or unreadable, or whose box lies outside its
        image (all images are decoded). Exits with status 1 on an unreadable file or if any catalog row is bad.
        """
    )

    @Argument(help: "An image file (a FITS path may end in [HDU]) or a catalog .csv.")
    var path: String

    @Option(help: "Resize images to SIZE × SIZE, as a catalog's imageSize would.")
    var size: Int?

    @Option(help: "FITS HDU: a 0-based number or an EXTNAME.")
    var hdu: String?

    @Option(help: "FITS bands to keep, 0-based and comma-separated (e.g. 0,1,2).")
    var bands: String?

    @Option(help: "FITS display scaling: low percentile.")
    var lowPercentile: Double = DisplayScaling().lowPercentile

    @Option(help: "FITS display scaling: high percentile.")
    var highPercentile: Double = DisplayScaling().highPercentile

    @Option(help: "FITS display scaling: arcsinh softening (fraction of the clipped range).")
    var softening: Double = DisplayScaling().softening

    @Option(help: "For a catalog, its box file (CSV id_str,label,x_min,y_min,x_max,y_max, or COCO JSON), relative to the catalog's folder.")
    var boxes: String?

    @Flag(help: "For a catalog, allow file_loc to point outside the catalog's folder.")
    var allowOutsideCatalogFolder = false

    mutating func validate() throws {
        if let s = size, s <= 0 { throw ValidationError("--size must be positive, got \(s)") }
        _ = try parsedBands()
    }

    func parsedBands() throws -> [Int]? {
        guard let bands else { return nil }
        let parts = bands.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap { Int($0) }
        guard !parts.isEmpty, values.count == parts.count else {
            throw ValidationError("--bands expects comma-separated integers, got '\(bands)'")
        }
        return values
    }

    func run() throws {
        let fits = FITSReadOptions(hdu: hdu.map { FITSHDU(parsing: $0) }, bands: try parsedBands())
        let scaling = DisplayScaling(lowPercentile: lowPercentile, highPercentile: highPercentile, softening: softening)
        do {
            try scaling.validate()
            let report: Inspection
            if path.lowercased().hasSuffix(".csv") {
                let options = CatalogOptions(boxes: boxes, imageSize: size, allowOutsideCatalogFolder: allowOutsideCatalogFolder,
                                             fits: fits, scaling: scaling)
                report = try Inspection.catalog(path: path, options: options)
            } else {
                report = try Inspection.image(path: path, loader: ImageLoader(size: size, fits: fits, scaling: scaling))
            }
            print(report.text)
            if report.problems > 0 {
                FileHandle.standardError.write(Data("zoorun inspect: \(report.problems) bad row(s) in \(path)\n".utf8))
                throw ExitCode.failure
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandle.standardError.write(Data("zoorun inspect: error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
