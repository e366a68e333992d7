/// Convolution with a PSF kernel.
extension PSF {
    /// "Valid" convolution of the centre of `input` (inSize²): `out` (outSize²) at (y, x) is
    /// the kernel-weighted sum of the input around (y + offset + radius, x + offset + radius);
    /// the input must have `offset` spare pixels on every side (inSize = outSize + 2·(offset + radius)
    /// or more).
    ///
    /// The kernel is symmetric, so correlation and convolution agree. Each output row is a
    /// sum of kernel-weighted input row segments: the inner loop is a contiguous axpy that
    /// the compiler vectorises.
    static func convolveValid(_ input: UnsafePointer<Float>, inSize: Int, offset: Int,
                              kernel: UnsafePointer<Float>, radius: Int,
                              into out: UnsafeMutablePointer<Float>, outSize: Int) {
        let w = 2 &* radius &+ 1
        precondition(offset >= 0 && outSize &+ offset &* 2 &+ w &- 1 <= inSize, "convolveValid: input too small")
        out.update(repeating: 0, count: outSize &* outSize)
        for y in 0..<outSize {
            let o = out + y &* outSize
            for ky in 0..<w {
                let inRow = input + ((y &+ offset &+ ky) &* inSize &+ offset)
                let kRow = kernel + ky &* w
                for kx in 0..<w {
                    let k = kRow[kx]
                    let src = inRow + kx
                    for x in 0..<outSize { o[x] += k * src[x] }
                }
            }
        }
    }

    /// The image blurred by this PSF, the same size, with zeros beyond its edges (light that
    /// spreads past the edge is lost). Every channel is convolved with the same kernel.
    public func convolved(_ image: Image) -> Image {
        precondition(image.width == image.height, "PSF.convolved: square images only, got \(image.height)×\(image.width)")
        let n = image.width, r = radius, padded = n + 2 * r
        let k = kernel()
        var out = Image(channels: image.channels, height: n, width: n)
        var buffer = [Float](repeating: 0, count: padded * padded)
        for c in 0..<image.channels {
            buffer.withUnsafeMutableBufferPointer { b in
                image.pixels.withUnsafeBufferPointer { p in
                    for y in 0..<n {
                        (b.baseAddress! + (y + r) * padded + r).update(from: p.baseAddress! + (c * n + y) * n, count: n)
                    }
                }
            }
            buffer.withUnsafeBufferPointer { b in
                k.withUnsafeBufferPointer { kp in
                    out.pixels.withUnsafeMutableBufferPointer { o in
                        Self.convolveValid(b.baseAddress!, inSize: padded, offset: 0, kernel: kp.baseAddress!, radius: r,
                                           into: o.baseAddress! + c * n * n, outSize: n)
                    }
                }
            }
        }
        return out
    }
}
