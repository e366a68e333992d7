/// Resampling images to a new height and width, each axis on its own (both filters are
/// separable, so doing rows then columns is exact):
/// - shrinking an axis averages over area: output pixel i covers source interval
///   [i·s, (i+1)·s) with s = in/out, and each source pixel is weighted by the fraction of it
///   that falls inside (an exact box filter, also for non-integer ratios);
/// - growing an axis interpolates bilinearly between pixel centres (half-pixel convention:
///   output centre i + ½ maps to source position (i + ½)·s − ½, clamped at the edges);
/// - an axis that keeps its size is copied.
/// Channels are resampled independently.
public enum Resize {
    /// `image` resampled to `height` × `width`.
    public static func apply(_ image: Image, height: Int, width: Int) throws -> Image {
        guard height > 0, width > 0 else {
            throw TensorError.invalidArgument(op: "Resize", message: "target size \(height)×\(width) must be positive")
        }
        guard image.height > 0, image.width > 0 else {
            throw TensorError.invalidArgument(op: "Resize", message: "cannot resize an empty \(image.height)×\(image.width) image")
        }
        if height == image.height && width == image.width { return image }
        if image.height == 2 * height && image.width == 2 * width { return halved(image) }
        return separable(image, height: height, width: width)
    }

    /// The general path: rows, then columns, through per-axis tap tables.
    static func separable(_ image: Image, height: Int, width: Int) -> Image {
        let across = Taps(from: image.width, to: width)
        let down = Taps(from: image.height, to: height)
        let c = image.channels, h = image.height, w = image.width
        // Rows first: C×H×W → C×H×width.
        var mid = [Float](repeating: 0, count: c * h * width)
        image.pixels.withUnsafeBufferPointer { src in
            mid.withUnsafeMutableBufferPointer { dst in
                across.withPointers { wt, firsts, offsets in
                    for row in 0..<(c * h) {
                        let s = row &* w, d = row &* width
                        for o in 0..<width {
                            let first = firsts[o], k0 = offsets[o], k1 = offsets[o &+ 1]
                            var acc: Float = 0
                            for k in k0..<k1 { acc += wt[k] * src[s &+ first &+ (k &- k0)] }
                            dst[d &+ o] = acc
                        }
                    }
                }
            }
        }
        // Then columns: C×H×width → C×height×width, accumulating whole rows for locality.
        var out = [Float](repeating: 0, count: c * height * width)
        mid.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                down.withPointers { wt, firsts, offsets in
                    for ch in 0..<c {
                        for o in 0..<height {
                            let d = (ch &* height &+ o) &* width
                            let first = firsts[o], k0 = offsets[o], k1 = offsets[o &+ 1]
                            for k in k0..<k1 {
                                let weight = wt[k]
                                let s = (ch &* h &+ first &+ (k &- k0)) &* width
                                for x in 0..<width { dst[d &+ x] += weight * src[s &+ x] }
                            }
                        }
                    }
                }
            }
        }
        return Image(channels: c, height: height, width: width, pixels: out)
    }

    /// Exact halving in both axes (e.g. 128 → 64 px cutouts): each output is the mean of a
    /// 2×2 block, computed in the same order as the general path (rows, then columns, each
    /// ½·a + ½·b), so the two agree bit for bit — in one pass instead of two.
    static func halved(_ image: Image) -> Image {
        let c = image.channels, w = image.width, oh = image.height / 2, ow = w / 2
        let out = [Float](unsafeUninitializedCapacity: c * oh * ow) { dst, initialized in
            image.pixels.withUnsafeBufferPointer { src in
                for r in 0..<(c * oh) {
                    let top = src.baseAddress! + 2 &* r &* w, bottom = top + w
                    let row = dst.baseAddress! + r &* ow
                    for x in 0..<ow {
                        let upper = 0.5 * top[2 &* x] + 0.5 * top[2 &* x &+ 1]
                        let lower = 0.5 * bottom[2 &* x] + 0.5 * bottom[2 &* x &+ 1]
                        row[x] = 0.5 * upper + 0.5 * lower
                    }
                }
            }
            initialized = c * oh * ow
        }
        return Image(channels: c, height: oh, width: ow, pixels: out)
    }

    /// For each output index along one axis: the first source index and the weights of the
    /// consecutive source pixels that contribute (`weights[offset[o]..<offset[o+1]]`).
    struct Taps {
        var first: [Int] = []
        var offset: [Int] = [0]
        var weights: [Float] = []

        /// Runs `body(weights, first, offset)` on the tables without bounds checks: the
        /// per-pixel array lookups were most of the time of a 128 → 64 px shrink.
        @inline(__always)
        func withPointers(_ body: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int>) -> Void) {
            weights.withUnsafeBufferPointer { wt in
                first.withUnsafeBufferPointer { f in offset.withUnsafeBufferPointer { o in body(wt, f, o) } }
            }
        }

        init(from n: Int, to m: Int) {
            let s = Double(n) / Double(m)
            for o in 0..<m {
                if m < n {
                    let lo = Double(o) * s, hi = Double(o + 1) * s
                    let j0 = Int(lo.rounded(.down)), j1 = min(n, Int(hi.rounded(.up)))
                    first.append(j0)
                    for j in j0..<j1 {
                        let cover = min(Double(j + 1), hi) - max(Double(j), lo)
                        weights.append(Float(cover / s))
                    }
                } else if m > n {
                    let x = min(max((Double(o) + 0.5) * s - 0.5, 0), Double(n - 1))
                    let j0 = Int(x.rounded(.down))
                    let t = x - Double(j0)
                    first.append(j0)
                    weights.append(Float(1 - t))
                    if j0 + 1 < n { weights.append(Float(t)) }
                } else {
                    first.append(o)
                    weights.append(1)
                }
                offset.append(weights.count)
            }
        }
    }
}
