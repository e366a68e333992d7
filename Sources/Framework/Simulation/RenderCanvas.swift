/// The pixel grid components are drawn on: the image plus a border as wide as the largest
/// PSF kernel, so that light from just outside the frame is blurred into it as on a real
/// detector. Image pixel (x, y) covers [x, x+1) × [y, y+1); canvas pixel (i, j) is image
/// pixel (j − pad, i − pad).
struct RenderCanvas {
    /// Side of the square image.
    let imageSize: Int
    /// Border width on every side.
    let pad: Int
    /// Side of the canvas, `imageSize + 2 pad`.
    var size: Int { imageSize + 2 * pad }
    /// Number of canvas pixels.
    var count: Int { size * size }

    /// Image x coordinate of the centre of canvas column j (or y of row i).
    @inline(__always)
    func centre(_ j: Int) -> Float { Float(j - pad) + 0.5 }

    /// The canvas index range of columns (or rows) whose pixels overlap [lo, hi] in image
    /// coordinates, clipped to the canvas.
    func span(_ lo: Double, _ hi: Double) -> Range<Int> {
        guard lo <= hi else { return 0..<0 }   // also rejects NaN
        let limit = Double(size)
        let a = Int(min(limit, max(0, lo + Double(pad))).rounded(.down))
        let b = Int(min(limit, max(-1, hi + Double(pad))).rounded(.down)) + 1
        return a < min(b, size) ? a..<min(b, size) : 0..<0
    }
}
