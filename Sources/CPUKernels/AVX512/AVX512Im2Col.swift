#if arch(x86_64)
/// The column matrix of a convolution, never written out: `AVX512GEMM` asks it for B's
/// packed panels, and it copies them straight from zero-padded input windows.
///
/// Why: unfolding a tile into a column matrix and then packing that matrix for the GEMM
/// moved every column element twice, and the column matrix (nine times the input for 3×3
/// kernels) no longer fitted in the caches that the packing read it from. Here each panel
/// element is read once from the padded input, which stays in cache, and written once.
///
/// Layout it reads: for image `i` of the tile and channel `c`, a window of `windowRows ×
/// windowWidth` floats at `padded + (i·channels + c)·windowCount`, holding the input rows
/// the tile's output rows read with the padding as zeros (the caller fills it). Row `r` of
/// B is (channel, tap) = (r / taps, r % taps); column `j` is output position `j % length`
/// of image `j / length`.
public struct AVX512Im2Col: @unchecked Sendable {
    public var padded: UnsafePointer<Float>
    public var channels: Int
    public var kernelH: Int, kernelW: Int
    public var strideH: Int, strideW: Int
    public var dilationH: Int, dilationW: Int
    public var windowWidth: Int, windowCount: Int
    /// Output columns per output row, and output positions per image in the tile.
    public var outWidth: Int, length: Int

    public init(padded: UnsafePointer<Float>, channels: Int, kernelH: Int, kernelW: Int, strideH: Int, strideW: Int,
                dilationH: Int, dilationW: Int, windowWidth: Int, windowCount: Int, outWidth: Int, length: Int) {
        self.padded = padded; self.channels = channels
        self.kernelH = kernelH; self.kernelW = kernelW
        self.strideH = strideH; self.strideW = strideW
        self.dilationH = dilationH; self.dilationW = dilationW
        self.windowWidth = windowWidth; self.windowCount = windowCount
        self.outWidth = outWidth; self.length = length
    }

    /// A stretch of a panel's columns that reads consecutive (or `strideW`-spaced) floats:
    /// one output row of one image.
    struct Run {
        var column: Int, count: Int, source: Int
    }

    /// Packs rows `p0..<p0+k` and columns `j0..<j0+n` of B into panels of `width` columns,
    /// each stored row-major within the panel (`width` floats per row), zero past the last
    /// column, as `AVX512GEMM.packB` lays them out.
    func pack(_ p0: Int, _ k: Int, _ j0: Int, _ n: Int, width: Int, _ out: UnsafeMutablePointer<Float>,
              runs: UnsafeMutablePointer<Run>) {
        let taps = kernelH &* kernelW
        var o = out
        for q in stride(from: 0, to: n, by: width) {
            let cols = Swift.min(width, n &- q)
            // The panel's runs: split where an output row or an image ends.
            var count = 0, j = j0 &+ q
            let end = j &+ cols
            var image = j / length, position = j &- image &* length
            var oy = position / outWidth, ox = position &- oy &* outWidth
            while j < end {
                let take = Swift.min(outWidth &- ox, end &- j)
                runs[count] = Run(column: j &- (j0 &+ q), count: take,
                                  source: image &* channels &* windowCount &+ (oy &* strideH) &* windowWidth &+ ox &* strideW)
                count &+= 1
                j &+= take
                position &+= take
                ox = 0
                oy &+= 1
                if position == length { position = 0; oy = 0; image &+= 1 }
            }
            var tap = p0 % taps, channelBase = (p0 / taps) &* windowCount
            for _ in 0..<k {
                let ki = tap / kernelW, kj = tap &- ki &* kernelW
                let src = padded + (channelBase &+ ki &* dilationH &* windowWidth &+ kj &* dilationW)
                if cols < width { (o + cols).update(repeating: 0, count: width &- cols) }
                for r in 0..<count {
                    let run = runs[r]
                    copy(src + run.source, o + run.column, count: run.count)
                }
                o += width
                tap &+= 1
                if tap == taps { tap = 0; channelBase &+= windowCount }
            }
        }
    }

    @inline(__always)
    func copy(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        if strideW != 1 {
            for x in 0..<count { dst[x] = src[x &* strideW] }
            return
        }
        var x = 0
        while x &+ 16 <= count {
            UnsafeMutableRawPointer(dst + x).storeBytes(of: UnsafeRawPointer(src + x).loadUnaligned(as: SIMD16<Float>.self),
                                                        as: SIMD16<Float>.self)
            x &+= 16
        }
        if x &+ 8 <= count {
            UnsafeMutableRawPointer(dst + x).storeBytes(of: UnsafeRawPointer(src + x).loadUnaligned(as: SIMD8<Float>.self),
                                                        as: SIMD8<Float>.self)
            x &+= 8
        }
        if x &+ 4 <= count {
            UnsafeMutableRawPointer(dst + x).storeBytes(of: UnsafeRawPointer(src + x).loadUnaligned(as: SIMD4<Float>.self),
                                                        as: SIMD4<Float>.self)
            x &+= 4
        }
        while x < count { dst[x] = src[x]; x &+= 1 }
    }
}
#endif
