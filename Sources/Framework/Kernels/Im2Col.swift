/// Unfolding image channels into GEMM column matrices (im2col) and folding them back (col2im).
///
/// One image channel becomes `kh·kw` rows; row `(ki, kj)` holds, for every output position
/// in the output rows `y0..<y1`, the input pixel that kernel tap reads (0 in the padding).
/// Stacking the rows of a group's channels gives the `[columnRows, (y1−y0)·outWidth]`
/// matrix that multiplies the `[outChannels/groups, columnRows]` weight. Working on a band of
/// output rows keeps the column buffer bounded for large images. Rows are `rowStride` apart,
/// so several images can sit side by side in one wider matrix (one GEMM for all of them).
///
/// Both directions go through a zero-padded copy of the input rows the band reads
/// (`Window`): every tap then reads in bounds, so a tap's row is a plain strided copy with no
/// border cases — which is what makes the small planes of late stages (4×4, 2×2) cheap.
enum Im2Col {
    /// The output columns `lo..<hi` along one axis whose tap `offset + o·stride` lands inside
    /// `0..<size` (an empty range when none do).
    @inline(__always)
    static func validRange(offset: Int, stride: Int, size: Int, count: Int) -> (lo: Int, hi: Int) {
        let lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let last = size - 1 - offset
        let hi = last < 0 ? 0 : min(count, last / stride + 1)
        return (min(lo, hi), hi)
    }

    /// The zero-padded input rows that the output rows `y0..<y1` read.
    struct Window {
        /// First input row (may be negative: padding), and how many rows.
        var firstRow: Int, rows: Int
        /// Row length: the image width plus the padding on both sides.
        var width: Int

        init(_ g: ConvGeometry, y0: Int, y1: Int) {
            firstRow = y0 * g.strideH - g.padH
            rows = y1 > y0 ? (y1 - 1 - y0) * g.strideH + (g.kernelH - 1) * g.dilationH + 1 : 0
            width = g.width + 2 * g.padW
        }

        var count: Int { rows * width }
    }

    /// Copies `plane`'s rows of `window` into `padded`, zeros outside the image.
    @inline(__always)
    static func pad(_ g: ConvGeometry, _ window: Window, plane: UnsafePointer<Float>, into padded: UnsafeMutablePointer<Float>) {
        let w = g.width, pw = g.padW, ww = window.width
        for r in 0..<window.rows {
            let dst = padded + r &* ww, iy = window.firstRow &+ r
            if iy < 0 || iy >= g.height {
                for x in 0..<ww { dst[x] = 0 }
                continue
            }
            let src = plane + iy &* w
            for x in 0..<pw { dst[x] = 0 }
            FloatVector.copy(from: src, to: dst + pw, count: w)
            for x in (pw &+ w)..<ww { dst[x] = 0 }
        }
    }

    /// Calls `body(tap, y, offset)` for every kernel tap (`ki·kw + kj`) and every output
    /// row `y` of a band of `bandRows` rows: `offset` is where that tap's row reads in the
    /// padded window. The one loop both directions walk.
    @inline(__always)
    static func forEachTapRow(_ g: ConvGeometry, _ window: Window, bandRows: Int, _ body: (Int, Int, Int) -> Void) {
        let ww = window.width, rowStep = g.strideH &* ww
        for ki in 0..<g.kernelH {
            for kj in 0..<g.kernelW {
                let base = ki &* g.dilationH &* ww &+ kj &* g.dilationW
                for y in 0..<bandRows { body(ki &* g.kernelW &+ kj, y, base &+ y &* rowStep) }
            }
        }
    }

    /// Writes the `kh·kw` column rows (each `rowStride` floats after the previous) of one
    /// image channel `plane` for output rows `y0..<y1`. `padded` holds `Window.count` floats.
    static func unfold(_ g: ConvGeometry, plane: UnsafePointer<Float>, rows: UnsafeMutablePointer<Float>,
                       rowStride: Int, y0: Int, y1: Int, padded: UnsafeMutablePointer<Float>) {
        let window = Window(g, y0: y0, y1: y1)
        pad(g, window, plane: plane, into: padded)
        let ow = g.outWidth, sw = g.strideW
        forEachTapRow(g, window, bandRows: y1 &- y0) { tap, y, offset in
            let dst = rows + (tap &* rowStride &+ y &* ow), src = padded + offset
            if sw == 1 {
                FloatVector.copy(from: src, to: dst, count: ow)
            } else {
                for x in 0..<ow { dst[x] = src[x &* sw] }
            }
        }
    }

    /// Adds the `kh·kw` column rows of one channel for output rows `y0..<y1` back onto the
    /// image channel `plane` (the adjoint of `unfold`). `padded` holds `Window.count` floats.
    static func fold(_ g: ConvGeometry, rows: UnsafePointer<Float>, rowStride: Int,
                     plane: UnsafeMutablePointer<Float>, y0: Int, y1: Int, padded: UnsafeMutablePointer<Float>) {
        let window = Window(g, y0: y0, y1: y1)
        padded.update(repeating: 0, count: window.count)
        let ow = g.outWidth, sw = g.strideW
        forEachTapRow(g, window, bandRows: y1 &- y0) { tap, y, offset in
            let src = rows + (tap &* rowStride &+ y &* ow), dst = padded + offset
            if sw == 1 {
                for x in 0..<ow { dst[x] += src[x] }
            } else {
                for x in 0..<ow { dst[x &* sw] += src[x] }
            }
        }
        // Only the window's rows inside the image, without the padding columns, are real.
        let w = g.width, pw = g.padW, ww = window.width
        for r in 0..<window.rows {
            let iy = window.firstRow &+ r
            if iy < 0 || iy >= g.height { continue }
            let src = padded + (r &* ww &+ pw), dst = plane + iy &* w
            for x in 0..<w { dst[x] += src[x] }
        }
    }
}
