/// One HDU to write with `FITSCodec.write`: an image (1 channel → 2-D, more → 3-D with the
/// channels as NAXIS3) stored with the given BITPIX, optional scaling and name.
public struct FITSWriteHDU: Sendable {
    /// The pixels as physical values; nil writes an HDU without data (primary only).
    public var image: Image?
    /// 8, 16, 32, 64 (integers), −32 or −64 (IEEE floats).
    public var bitpix: Int
    /// Stored = (physical − bzero) / bscale, rounded for integer BITPIX.
    public var bscale: Double
    public var bzero: Double
    /// For integer BITPIX: the stored value that marks a missing pixel; NaN pixels are written as it.
    public var blank: Int64?
    /// EXTNAME keyword.
    public var name: String?

    public init(image: Image?, bitpix: Int = -32, bscale: Double = 1, bzero: Double = 0, blank: Int64? = nil,
                name: String? = nil) {
        self.image = image
        self.bitpix = bitpix
        self.bscale = bscale
        self.bzero = bzero
        self.blank = blank
        self.name = name
    }
}
