/// How to read a FITS image: which HDU and which bands (planes of a 3-D cube).
public struct FITSReadOptions: Sendable, Equatable, Codable {
    /// The HDU to read; nil means the primary HDU, or the first image extension when the
    /// primary HDU holds no data (the usual layout of multi-extension files). A selector in
    /// the path (`file.fits[1]`) takes precedence.
    public var hdu: FITSHDU?
    /// 0-based band (plane) indices to keep, in this order; nil keeps all.
    public var bands: [Int]?

    public init(hdu: FITSHDU? = nil, bands: [Int]? = nil) {
        self.hdu = hdu
        self.bands = bands
    }
}
