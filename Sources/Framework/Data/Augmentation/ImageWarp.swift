/// Resampling kernels: every geometric augmentation is one affine warp, so an image is
/// interpolated once however many transforms were composed.
///
/// `map` sends *output* continuous coordinates to *input* ones (the inverse of the
/// augmentation). Samples outside the input are 0: a fill of 0 matches the sky background
/// after the usual normalisation, whereas reflecting would invent mirrored neighbours (and,
/// for spirals, mirrored arms of the wrong handedness) in the corners.
enum ImageWarp {
    /// Bilinear resampling of every plane of `image` into `width`×`height`. When the map
    /// shrinks by 2× or more in every direction, the source is first box-averaged by the
    /// integer factor, so that downscaling averages areas instead of aliasing.
    static func bilinear(_ image: Image, width: Int, height: Int, map: AffineMap) -> Image {
        if let copied = latticeCopy(image, width: width, height: height, map: map) { return copied }
        let factor = Int(map.minimumStretch.rounded(.down))
        if factor >= 2 {
            let small = areaDownsample(image, factor: factor)
            let k = 1 / Double(factor)
            return bilinearKernel(small, width: width, height: height, map: map.then(.scale(k, k)))
        }
        return bilinearKernel(image, width: width, height: height, map: map)
    }

    /// Bilinear resampling without prefiltering. Interior samples take four taps; samples
    /// within a pixel of the border weight their missing taps by 0.
    static func bilinearKernel(_ image: Image, width dw: Int, height dh: Int, map: AffineMap) -> Image {
        // Index space: shifted by −½ so that integer positions are pixel centres.
        let g = Steps(map, shift: -0.5)
        return resample(image, width: dw, height: dh) { src, dst in
            let sw = image.width, sh = image.height, planes = image.channels
            let srcPlane = sw &* sh, dstPlane = dw &* dh
            let (ga, gb, gc, gd, ox, oy) = (g.a, g.b, g.c, g.d, g.x, g.y)
            let fw = Float(sw), fh = Float(sh)
            let lastX = sw &- 1, lastY = sh &- 1
            for y in 0..<dh {
                let fy = Float(y)
                let rowX = ox + gb * fy, rowY = oy + gd * fy
                let rowOut = y &* dw
                for x in 0..<dw {
                    let fx = Float(x)
                    let sx = rowX + ga * fx, sy = rowY + gc * fx
                    // Entirely outside (or NaN): leave the zero fill.
                    guard sx > -1, sx < fw, sy > -1, sy < fh else { continue }
                    // floor without a libm call. Not Int(sx + 1) - 1: the addition rounds,
                    // and sx just below the width would floor to the width itself.
                    let x0 = Self.floor(sx), y0 = Self.floor(sy)
                    let tx = sx - Float(x0), ty = sy - Float(y0)
                    let o = rowOut &+ x
                    if x0 >= 0, y0 >= 0, x0 < lastX, y0 < lastY {
                        let w00 = (1 - tx) * (1 - ty), w01 = tx * (1 - ty)
                        let w10 = (1 - tx) * ty, w11 = tx * ty
                        var p = src + (y0 &* sw &+ x0)
                        var q = dst + o
                        for _ in 0..<planes {
                            q.pointee = w00 * p[0] + w01 * p[1] + w10 * p[sw] + w11 * p[sw &+ 1]
                            p += srcPlane
                            q += dstPlane
                        }
                    } else {
                        // Border: a tap outside the image contributes 0.
                        let hasL = x0 >= 0, hasR = x0 &+ 1 <= lastX
                        let hasT = y0 >= 0, hasB = y0 &+ 1 <= lastY
                        let w00: Float = hasL && hasT ? (1 - tx) * (1 - ty) : 0
                        let w01: Float = hasR && hasT ? tx * (1 - ty) : 0
                        let w10: Float = hasL && hasB ? (1 - tx) * ty : 0
                        let w11: Float = hasR && hasB ? tx * ty : 0
                        let cl = max(x0, 0), cr = min(x0 &+ 1, lastX)
                        let ct = max(y0, 0), cb = min(y0 &+ 1, lastY)
                        let i00 = ct &* sw &+ cl, i01 = ct &* sw &+ cr
                        let i10 = cb &* sw &+ cl, i11 = cb &* sw &+ cr
                        for c in 0..<planes {
                            let p = src + c &* srcPlane
                            var v: Float = 0
                            if w00 != 0 { v += w00 * p[i00] }
                            if w01 != 0 { v += w01 * p[i01] }
                            if w10 != 0 { v += w10 * p[i10] }
                            if w11 != 0 { v += w11 * p[i11] }
                            dst[c &* dstPlane &+ o] = v
                        }
                    }
                }
            }
        }
    }

    /// When `map` sends pixel centres exactly onto pixel centres (flips, quarter turns and
    /// whole-pixel shifts), the warp is a permutation: copy instead of interpolating.
    /// Returns nil for any other map.
    static func latticeCopy(_ image: Image, width dw: Int, height dh: Int, map: AffineMap) -> Image? {
        let units: Set<Double> = [-1, 0, 1]
        guard units.contains(map.a), units.contains(map.b), units.contains(map.c), units.contains(map.d),
              abs(map.a * map.d - map.b * map.c) == 1 else { return nil }
        // Index-space source of output pixel (0, 0); must be whole.
        let ox = 0.5 * map.a + 0.5 * map.b + map.tx - 0.5
        let oy = 0.5 * map.c + 0.5 * map.d + map.ty - 0.5
        guard ox == ox.rounded(), oy == oy.rounded(), abs(ox) < 1e9, abs(oy) < 1e9 else { return nil }
        let ga = Int(map.a), gb = Int(map.b), gc = Int(map.c), gd = Int(map.d)
        let bx = Int(ox), by = Int(oy)
        return resample(image, width: dw, height: dh) { src, dst in
            let sw = image.width, sh = image.height, planes = image.channels
            let srcPlane = sw &* sh, dstPlane = dw &* dh
            for c in 0..<planes {
                let p = src + c &* srcPlane, q = dst + c &* dstPlane
                for y in 0..<dh {
                    var sx = bx &+ gb &* y, sy = by &+ gd &* y
                    let row = q + y &* dw
                    for x in 0..<dw {
                        if sx >= 0, sx < sw, sy >= 0, sy < sh { row[x] = p[sy &* sw &+ sx] }
                        sx &+= ga
                        sy &+= gc
                    }
                }
            }
        }
    }

    /// Nearest-neighbour resampling (for hard masks: keeps values in the input's set).
    static func nearest(_ image: Image, width dw: Int, height dh: Int, map: AffineMap) -> Image {
        // Continuous coordinates of output pixel centres; the containing pixel is floor().
        let g = Steps(map, shift: 0)
        return resample(image, width: dw, height: dh) { src, dst in
            let sw = image.width, sh = image.height, planes = image.channels
            let srcPlane = sw &* sh, dstPlane = dw &* dh
            let (ga, gb, gc, gd, ox, oy) = (g.a, g.b, g.c, g.d, g.x, g.y)
            let fw = Float(sw), fh = Float(sh)
            for y in 0..<dh {
                let fy = Float(y)
                let rowX = ox + gb * fy, rowY = oy + gd * fy
                for x in 0..<dw {
                    let fx = Float(x)
                    let sx = rowX + ga * fx, sy = rowY + gc * fx
                    guard sx >= 0, sx < fw, sy >= 0, sy < fh else { continue }
                    let i = Int(sy) &* sw &+ Int(sx)
                    let o = y &* dw &+ x
                    for c in 0..<planes { dst[c &* dstPlane &+ o] = src[c &* srcPlane &+ i] }
                }
            }
        }
    }

    /// ⌊v⌋ for |v| < 2³¹, exactly: truncate, then step down when truncation went up.
    @inline(__always)
    static func floor(_ v: Float) -> Int {
        let t = Int(v)
        return Float(t) > v ? t &- 1 : t
    }

    /// The output position of pixel (x, y) in the source is (x0 + a·x + b·y, y0 + c·x + d·y):
    /// the map applied to the pixel centre, moved by `shift`, in Float for the kernels.
    struct Steps {
        let a: Float, b: Float, c: Float, d: Float, x: Float, y: Float

        init(_ map: AffineMap, shift: Double) {
            a = Float(map.a); b = Float(map.b); c = Float(map.c); d = Float(map.d)
            x = Float(0.5 * map.a + 0.5 * map.b + map.tx + shift)
            y = Float(0.5 * map.c + 0.5 * map.d + map.ty + shift)
        }
    }

    /// A zero-filled `width`×`height` image with `image`'s planes, filled by `body` from the
    /// source and destination base pointers; `body` is skipped when either image is empty.
    @inline(__always)
    static func resample(_ image: Image, width dw: Int, height dh: Int,
                         _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> Image {
        var out = [Float](repeating: 0, count: image.channels &* dw &* dh)
        image.pixels.withUnsafeBufferPointer { srcBuffer in
            out.withUnsafeMutableBufferPointer { dstBuffer in
                guard let src = srcBuffer.baseAddress, let dst = dstBuffer.baseAddress,
                      image.width > 0, image.height > 0, dw > 0, dh > 0 else { return }
                body(src, dst)
            }
        }
        return Image(channels: image.channels, height: dh, width: dw, pixels: out)
    }

    /// Box-average by `factor` in both directions; the last row and column of blocks may be
    /// partial and average only the pixels they have.
    static func areaDownsample(_ image: Image, factor k: Int) -> Image {
        let sw = image.width, sh = image.height, planes = image.channels
        let dw = (sw + k - 1) / k, dh = (sh + k - 1) / k
        return resample(image, width: dw, height: dh) { src, dst in
            for c in 0..<planes {
                let p = src + c &* sw &* sh, q = dst + c &* dw &* dh
                for by in 0..<dh {
                    let y0 = by &* k, y1 = min(y0 &+ k, sh)
                    let row = q + by &* dw
                    // Accumulate whole source rows into the output row, then scale.
                    for y in y0..<y1 {
                        let line = p + y &* sw
                        var x = 0
                        for bx in 0..<dw {
                            let x1 = min(x &+ k, sw)
                            var s: Float = 0
                            while x < x1 { s += line[x]; x &+= 1 }
                            row[bx] += s
                        }
                    }
                    let rows = Float(y1 &- y0)
                    for bx in 0..<dw {
                        let cols = Float(min(bx &* k &+ k, sw) &- bx &* k)
                        row[bx] /= rows * cols
                    }
                }
            }
        }
    }
}
