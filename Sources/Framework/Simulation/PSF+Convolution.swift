/// Convolution with a PSF kernel.
extension PSF {
    /// "Valid" convolution of the centre of `input` (inSize²): `out` (outSize²) at (y, x) is
    /// the kernel-weighted sum of the input around (y + offset + radius, x + offset + radius);
    /// the input must have `offset` spare pixels on every side (inSize = outSize + 2·(offset + radius)
    /// or more).
    ///
    /// The kernel is symmetric under x → −x and y → −y (so correlation and convolution agree),
    /// which halves the work twice: rows r − d and r + d of the input window are added before
    /// their shared kernel row is applied, and columns likewise, so a (2r+1)² kernel costs
    /// (r+1)² multiplies per pixel. Inner loops are contiguous SIMD axpys; zero taps (the
    /// corners of a disc-shaped kernel) are skipped.
    static func convolveValid(_ input: UnsafePointer<Float>, inSize: Int, offset: Int,
                              kernel: UnsafePointer<Float>, radius r: Int,
                              into out: UnsafeMutablePointer<Float>, outSize: Int) {
        let w = 2 &* r &+ 1
        precondition(offset >= 0 && outSize &+ offset &* 2 &+ w &- 1 <= inSize, "convolveValid: input too small")
        out.update(repeating: 0, count: outSize &* outSize)
        let span = outSize &+ 2 &* r
        let folded = UnsafeMutablePointer<Float>.allocate(capacity: span)
        defer { folded.deallocate() }
        for y in 0..<outSize {
            let o = out + y &* outSize
            for ky in 0...r {
                // Input rows ky and 2r − ky of the window share kernel row ky.
                let top = input + ((y &+ offset &+ ky) &* inSize &+ offset)
                if ky == r {
                    folded.update(from: top, count: span)
                } else {
                    let bottom = input + ((y &+ offset &+ 2 &* r &- ky) &* inSize &+ offset)
                    FastMath.add(folded, top, bottom, count: span)
                }
                let kRow = kernel + ky &* w
                for kx in 0...r {
                    let k = kRow[kx]
                    if k == 0 { continue }
                    let left = folded + kx
                    if kx == r {
                        FastMath.accumulate(o, left, weight: k, count: outSize)
                    } else {
                        FastMath.accumulate(o, left, plus: folded + (2 &* r &- kx), weight: k, count: outSize)
                    }
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
