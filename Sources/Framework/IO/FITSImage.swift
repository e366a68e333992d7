/// A decoded FITS image and what was done to it on the way.
public struct FITSImage: Sendable, Equatable {
    /// Bands × height × width physical values (BSCALE/BZERO applied), missing pixels filled.
    public var image: Image
    /// 0-based number of the HDU that was read.
    public var hdu: Int
    /// BITPIX of that HDU.
    public var bitpix: Int
    /// Per output band, the fraction of pixels that were NaN, infinite or BLANK and were
    /// replaced by the median of the band's finite pixels.
    public var missingFraction: [Double]
}
