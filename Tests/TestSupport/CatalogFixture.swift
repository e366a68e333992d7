import Framework

/// A catalog folder for tests: catalog.csv from rows and small PNGs for the images it names.
public struct CatalogFixture {
    public let dir: TemporaryFolder
    public var catalog: String { dir.file("catalog.csv") }

    /// Writes `rows` (after the header) as catalog.csv and a 6×8 RGB PNG for every
    /// `images/NAME.png` file_loc mentioned in `pngs`.
    public init(header: String = "id_str,file_loc,ring,votes_a", rows: [String], pngs: [String] = []) throws {
        dir = try TemporaryFolder("catalog")
        try dir.write("catalog.csv", text: ([header] + rows).joined(separator: "\n") + "\n")
        for (k, name) in pngs.enumerated() {
            var img = Image(channels: 3, height: 6, width: 8)
            for i in img.pixels.indices { img.pixels[i] = Float((i + 10 * k) % 256) / 255 }
            try dir.write(name, try PNGCodec.encode(img))
        }
    }
}
