/// Unfolding image channels into GEMM column matrices (im2col) and folding them back (col2im).
///
/// One image channel becomes `kh·kw` rows; row `(ki, kj)` holds, for every output position
/// in the output rows `y0..<y1`, the input pixel that kernel tap reads (0 in the padding).
/// Stacking the rows of a group's channels gives the `[columnRows, (y1−y0)·outWidth]`
/// matrix that multiplies the `[outChannels/groups, columnRows]` weight. Working on a band of
/// output rows keeps the column buffer bounded for large images. Rows are `rowStride` apart,
/// so several images can sit side by side in one wider matrix (one GEMM for all of them).
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

    /// Where one kernel tap reads for a band of output rows `y0..<y1`.
    struct Tap {
        /// The tap's row in a channel's column rows (`ki·kw + kj`).
        var index: Int
        /// Input row and column read by output position (0, 0).
        var rowOffset: Int, colOffset: Int
        /// Output rows of the band, and output columns, whose input pixel is inside the image.
        var rowLo: Int, rowHi: Int, colLo: Int, colHi: Int

        var isEmpty: Bool { rowLo >= rowHi || colLo >= colHi }
    }

    /// Calls `body` for every tap of `g`'s kernel.
    @inline(__always)
    static func forEachTap(_ g: ConvGeometry, y0: Int, y1: Int, _ body: (Tap) -> Void) {
        for ki in 0..<g.kernelH {
            let rowOffset = ki &* g.dilationH &- g.padH
            let (validLo, validHi) = validRange(offset: rowOffset, stride: g.strideH, size: g.height, count: g.outHeight)
            let rowLo = min(max(validLo, y0), y1), rowHi = max(min(validHi, y1), rowLo)
            for kj in 0..<g.kernelW {
                let colOffset = kj &* g.dilationW &- g.padW
                let (lo, hi) = validRange(offset: colOffset, stride: g.strideW, size: g.width, count: g.outWidth)
                body(Tap(index: ki &* g.kernelW &+ kj, rowOffset: rowOffset, colOffset: colOffset,
                         rowLo: rowLo, rowHi: rowHi, colLo: lo, colHi: hi))
            }
        }
    }

    /// Stride 1 with output rows as wide as input rows: output position `d` of a tap reads
    /// input position `d + shift`, so a tap's whole band is one run of the plane (with the
    /// border columns wrapping around to the neighbouring rows).
    static func isContiguous(_ g: ConvGeometry) -> Bool {
        g.strideW == 1 && g.strideH == 1 && g.outWidth == g.width
    }

    /// Zeroes the border columns (outside `colLo..<colHi`) of the band rows inside the image.
    @inline(__always)
    static func clearBorders(_ row: UnsafeMutablePointer<Float>, _ t: Tap, y0: Int, width ow: Int) {
        for y in t.rowLo..<t.rowHi {
            let r = row + (y &- y0) &* ow
            if t.colLo > 0 { r.update(repeating: 0, count: t.colLo) }
            if t.colHi < ow { (r + t.colHi).update(repeating: 0, count: ow &- t.colHi) }
        }
    }

    /// Writes the `kh·kw` column rows (each `rowStride` floats after the previous) of one
    /// image channel `plane` for output rows `y0..<y1`.
    static func unfold(_ g: ConvGeometry, plane: UnsafePointer<Float>, rows: UnsafeMutablePointer<Float>,
                       rowStride: Int, y0: Int, y1: Int) {
        let ow = g.outWidth, w = g.width, sw = g.strideW, sh = g.strideH
        let contiguous = isContiguous(g)
        forEachTap(g, y0: y0, y1: y1) { t in
            let row = rows + t.index &* rowStride
            if t.rowLo > y0 { row.update(repeating: 0, count: (t.rowLo &- y0) &* ow) }
            if t.rowHi < y1 { (row + (t.rowHi &- y0) &* ow).update(repeating: 0, count: (y1 &- t.rowHi) &* ow) }
            if contiguous && !t.isEmpty {
                // Copy the band as one run, then clear what wrapped around.
                let first = (t.rowLo &- y0) &* ow &+ t.colLo, last = (t.rowHi &- 1 &- y0) &* ow &+ t.colHi
                (row + first).update(from: plane + ((y0 &+ t.rowOffset) &* w &+ t.colOffset &+ first), count: last &- first)
                clearBorders(row, t, y0: y0, width: ow)
                return
            }
            clearBorders(row, t, y0: y0, width: ow)
            for y in t.rowLo..<t.rowHi {
                let dst = row + (y &- y0) &* ow
                let src = plane + ((y &* sh &+ t.rowOffset) &* w &+ t.colOffset)
                if sw == 1 {
                    (dst + t.colLo).update(from: src + t.colLo, count: t.colHi &- t.colLo)
                } else {
                    for x in t.colLo..<t.colHi { dst[x] = src[x &* sw] }
                }
            }
        }
    }

    /// Adds the `kh·kw` column rows of one channel for output rows `y0..<y1` back onto the
    /// image channel `plane` (the adjoint of `unfold`). Entries for padded positions may be
    /// cleared in `rows` on the way.
    static func fold(_ g: ConvGeometry, rows: UnsafeMutablePointer<Float>, rowStride: Int,
                     plane: UnsafeMutablePointer<Float>, y0: Int, y1: Int) {
        let ow = g.outWidth, w = g.width, sw = g.strideW, sh = g.strideH
        let contiguous = isContiguous(g)
        forEachTap(g, y0: y0, y1: y1) { t in
            let row = rows + t.index &* rowStride
            if contiguous && !t.isEmpty {
                // Clear what would wrap around, then add the band as one run.
                clearBorders(row, t, y0: y0, width: ow)
                let first = (t.rowLo &- y0) &* ow &+ t.colLo, last = (t.rowHi &- 1 &- y0) &* ow &+ t.colHi
                let dst = plane + ((y0 &+ t.rowOffset) &* w &+ t.colOffset &+ first), src = row + first
                for i in 0..<(last &- first) { dst[i] += src[i] }
                return
            }
            for y in t.rowLo..<t.rowHi {
                let src = row + (y &- y0) &* ow
                let dst = plane + ((y &* sh &+ t.rowOffset) &* w &+ t.colOffset)
                if sw == 1 {
                    for x in t.colLo..<t.colHi { dst[x] += src[x] }
                } else {
                    for x in t.colLo..<t.colHi { dst[x &* sw] += src[x] }
                }
            }
        }
    }
}
