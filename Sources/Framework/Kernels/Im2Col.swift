/// Unfolding image channels into GEMM column matrices (im2col) and folding them back (col2im).
///
/// One image channel becomes `kh·kw` rows; row `(ki, kj)` holds, for every output position
/// in the output rows `y0..<y1`, the input pixel that kernel tap reads (0 in the padding).
/// Stacking the rows of a group's channels gives the `[columnRows, (y1−y0)·outWidth]`
/// matrix that multiplies the `[outChannels/groups, columnRows]` weight. Working on a band of
/// output rows keeps the column buffer bounded for large images.
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

    /// Writes the `kh·kw` column rows of one image channel `plane` for output rows `y0..<y1`.
    static func unfold(_ g: ConvGeometry, plane: UnsafePointer<Float>, rows: UnsafeMutablePointer<Float>, y0: Int, y1: Int) {
        let ow = g.outWidth, w = g.width, sw = g.strideW
        let length = (y1 &- y0) &* ow
        // Stride 1 with output rows as wide as input rows: output position d of a tap reads
        // input position d + shift, so whole bands are single runs.
        let contiguous = sw == 1 && g.strideH == 1 && ow == w
        for ki in 0..<g.kernelH {
            let rowOffset = ki &* g.dilationH &- g.padH
            let (validLo, validHi) = validRange(offset: rowOffset, stride: g.strideH, size: g.height, count: g.outHeight)
            let ohLo = min(max(validLo, y0), y1), ohHi = max(min(validHi, y1), ohLo)
            for kj in 0..<g.kernelW {
                let colOffset = kj &* g.dilationW &- g.padW
                let (lo, hi) = validRange(offset: colOffset, stride: sw, size: w, count: ow)
                let row = rows + (ki &* g.kernelW &+ kj) &* length
                if ohLo > y0 { row.update(repeating: 0, count: (ohLo &- y0) &* ow) }
                if ohHi < y1 { (row + (ohHi &- y0) &* ow).update(repeating: 0, count: (y1 &- ohHi) &* ow) }
                if contiguous && ohLo < ohHi && lo < hi {
                    // The tap's rows are one shifted run of the plane: copy it at once, then
                    // clear the columns that wrapped around from the neighbouring rows.
                    let first = (ohLo &- y0) &* ow &+ lo, last = (ohHi &- 1 &- y0) &* ow &+ hi
                    (row + first).update(from: plane + ((y0 &+ rowOffset) &* w &+ colOffset &+ first), count: last &- first)
                    for y in ohLo..<ohHi {
                        let dst = row + (y &- y0) &* ow
                        if lo > 0 { dst.update(repeating: 0, count: lo) }
                        if hi < ow { (dst + hi).update(repeating: 0, count: ow &- hi) }
                    }
                    continue
                }
                for y in ohLo..<ohHi {
                    let dst = row + (y &- y0) &* ow
                    let src = plane + ((y &* g.strideH &+ rowOffset) &* w &+ colOffset)
                    if lo > 0 { dst.update(repeating: 0, count: lo) }
                    if hi < ow { (dst + hi).update(repeating: 0, count: ow &- hi) }
                    if sw == 1 {
                        (dst + lo).update(from: src + lo, count: hi &- lo)
                    } else {
                        for x in lo..<hi { dst[x] = src[x &* sw] }
                    }
                }
            }
        }
    }

    /// Adds the `kh·kw` column rows of one channel for output rows `y0..<y1` back onto the
    /// image channel `plane` (the adjoint of `unfold`). Entries for padded positions may be
    /// cleared in `rows` on the way.
    static func fold(_ g: ConvGeometry, rows: UnsafeMutablePointer<Float>, plane: UnsafeMutablePointer<Float>, y0: Int, y1: Int) {
        let ow = g.outWidth, w = g.width, sw = g.strideW
        let length = (y1 &- y0) &* ow
        // Stride 1 with output rows as wide as input rows: output position d of a tap reads
        // input position d + shift, so whole bands are single runs.
        let contiguous = sw == 1 && g.strideH == 1 && ow == w
        for ki in 0..<g.kernelH {
            let rowOffset = ki &* g.dilationH &- g.padH
            let (validLo, validHi) = validRange(offset: rowOffset, stride: g.strideH, size: g.height, count: g.outHeight)
            let ohLo = min(max(validLo, y0), y1), ohHi = max(min(validHi, y1), ohLo)
            for kj in 0..<g.kernelW {
                let colOffset = kj &* g.dilationW &- g.padW
                let (lo, hi) = validRange(offset: colOffset, stride: sw, size: w, count: ow)
                let row = rows + (ki &* g.kernelW &+ kj) &* length
                if contiguous && ohLo < ohHi && lo < hi {
                    // Clear the wrapped-around columns, then add the tap's rows as one run.
                    for y in ohLo..<ohHi {
                        let r = row + (y &- y0) &* ow
                        if lo > 0 { r.update(repeating: 0, count: lo) }
                        if hi < ow { (r + hi).update(repeating: 0, count: ow &- hi) }
                    }
                    let first = (ohLo &- y0) &* ow &+ lo, last = (ohHi &- 1 &- y0) &* ow &+ hi
                    let dst = plane + ((y0 &+ rowOffset) &* w &+ colOffset &+ first), src = row + first
                    for i in 0..<(last &- first) { dst[i] += src[i] }
                    continue
                }
                for y in ohLo..<ohHi {
                    let src = row + (y &- y0) &* ow
                    let dst = plane + ((y &* g.strideH &+ rowOffset) &* w &+ colOffset)
                    if sw == 1 {
                        for x in lo..<hi { dst[x] += src[x] }
                    } else {
                        for x in lo..<hi { dst[x &* sw] += src[x] }
                    }
                }
            }
        }
    }
}
