import PortableKernels
#if arch(x86_64)
/// Depthwise convolution (one kernel per channel, channel multiplier 1) forward on AVX-512,
/// with sixteen channels in the lanes of a vector.
///
/// Why channels in lanes: EfficientNet and ConvNeXt run most depthwise layers on small
/// planes (8×8 down to 2×2 at 64 px), where a row of the plane fills a quarter of a vector
/// or less. Here a work item is one image and a block of sixteen channels: the block's
/// planes are transposed (16×16 in registers) into a zero-padded scratch holding, per pixel,
/// the sixteen channels side by side. Every tap of every output pixel is then one full
/// vector load and one multiply-add, whatever the plane's size, stride or dilation. The
/// per-channel scale and shift (BatchNorm at inference, or the bias) and the activation are
/// applied on the accumulators, and one more transpose writes the block back to NCHW.
///
/// Compiled for `skylake-avx512` like the rest of this module: call only after the caller
/// has checked that the CPU has AVX-512.
public enum AVX512Depthwise {
    typealias Vec = SIMD16<Float>

    /// The convolution's shape, all in elements; `channels` is both the input and the output
    /// channel count.
    public struct Geometry: Sendable {
        public var batch: Int, channels: Int, height: Int, width: Int
        public var outHeight: Int, outWidth: Int
        public var kernelH: Int, kernelW: Int
        public var strideH: Int, strideW: Int
        public var padH: Int, padW: Int
        public var dilationH: Int, dilationW: Int

        public init(batch: Int, channels: Int, height: Int, width: Int, outHeight: Int, outWidth: Int,
                    kernelH: Int, kernelW: Int, strideH: Int, strideW: Int, padH: Int, padW: Int,
                    dilationH: Int, dilationW: Int) {
            self.batch = batch; self.channels = channels; self.height = height; self.width = width
            self.outHeight = outHeight; self.outWidth = outWidth
            self.kernelH = kernelH; self.kernelW = kernelW
            self.strideH = strideH; self.strideW = strideW
            self.padH = padH; self.padW = padW
            self.dilationH = dilationH; self.dilationW = dilationW
        }

        var blocks: Int { (channels + 15) / 16 }
        var taps: Int { kernelH * kernelW }
        /// The padded scratch: every input pixel at (y + padH, x + padW), and every pixel any
        /// tap reads; the rest is zero.
        var scratchRows: Int { Swift.max((outHeight - 1) * strideH + (kernelH - 1) * dilationH + 1, height + padH) }
        var scratchColumns: Int { Swift.max((outWidth - 1) * strideW + (kernelW - 1) * dilationW + 1, width + padW) }
        /// The input in the padded scratch, and the output pixels packed row by row.
        var inputLayout: Layout { Layout(height: height, width: width, top: padH, left: padW, columns: scratchColumns) }
        var outputLayout: Layout { Layout(height: outHeight, width: outWidth, top: 0, left: 0, columns: outWidth) }
        /// Offsets of the taps from an output pixel's first read in the padded scratch, in floats.
        var tapOffsets: [Int] {
            var offsets = [Int](repeating: 0, count: taps)
            for ki in 0..<kernelH {
                for kj in 0..<kernelW { offsets[ki * kernelW + kj] = (ki * dilationH * scratchColumns + kj * dilationW) * 16 }
            }
            return offsets
        }
    }

    /// What is applied to each output after the scale and shift.
    public enum Activation: Sendable { case identity, relu, silu }

    /// Work items: (channel block, image) pairs, block-major, so a thread's consecutive items
    /// share their block's weights.
    public static func items(_ g: Geometry) -> Int { g.blocks * g.batch }

    /// `y[n, c] = act(scale[c]·(x[n, c] ⋆ w[c]) + shift[c])` for the items in `range`
    /// (`scale` 1 and `shift` 0 when nil). `weight` is `[channels, 1, kernelH, kernelW]`.
    public static func forward(_ g: Geometry, input x: UnsafePointer<Float>, weight w: UnsafePointer<Float>,
                               scale: UnsafePointer<Float>?, shift: UnsafePointer<Float>?, activation: Activation,
                               output y: UnsafeMutablePointer<Float>, items range: Range<Int>) {
        guard !range.isEmpty, g.outHeight > 0, g.outWidth > 0 else { return }
        let taps = g.taps, rows = g.scratchRows, cols = g.scratchColumns
        let inPlane = g.height &* g.width, outPlane = g.outHeight &* g.outWidth
        // Padded input, output pixels, the block's weights per tap, a transpose tile, and
        // the block's scale and shift.
        let padded = rows &* cols &* 16
        let total = padded &+ outPlane &* 16 &+ taps &* 16 &+ 16 &* 16 &+ 32
        let raw = UnsafeMutableRawPointer.allocate(byteCount: total &* 4, alignment: 64)
        defer { raw.deallocate() }
        let scratch = raw.bindMemory(to: Float.self, capacity: total)
        // The border is zero once and stays so: each item rewrites the same interior.
        scratch.initialize(repeating: 0, count: total)
        let pixels = scratch + padded, weights = pixels + outPlane &* 16
        let tile = UnsafeMutableRawPointer(weights + taps &* 16).bindMemory(to: Vec.self, capacity: 16)
        let affine = weights + (taps &* 16 &+ 256)
        let offsets = g.tapOffsets
        let padding = g.inputLayout, outputs = g.outputLayout
        var loadedBlock = -1
        offsets.withUnsafeBufferPointer { tapOffsets in
            for item in range {
                let block = item / g.batch, n = item &- block &* g.batch
                let c0 = block &* 16, valid = Swift.min(16, g.channels &- c0)
                if block != loadedBlock {
                    for t in 0..<taps {
                        for l in 0..<16 { weights[t &* 16 &+ l] = l < valid ? w[(c0 &+ l) &* taps &+ t] : 0 }
                    }
                    loadedBlock = block
                }
                for l in 0..<16 {
                    affine[l] = l < valid ? scale?[c0 &+ l] ?? 1 : 0
                    affine[16 &+ l] = l < valid ? shift?[c0 &+ l] ?? 0 : 0
                }
                let source = x + (n &* g.channels &+ c0) &* inPlane
                fill(padding, source: source, valid: valid, scratch: scratch, tile: tile)
                correlate(g, scratch: scratch, columns: cols, weights: weights, offsets: tapOffsets.baseAddress!,
                          affine: affine, activation: activation, pixels: pixels)
                drain(outputs, scratch: pixels, valid: valid, to: y + (n &* g.channels &+ c0) &* outPlane, tile: tile)
            }
        }
    }

    /// The gradients of `forward` without scale, shift or activation (training runs those
    /// as separate ops): `dx` (needs `weight`), `dw` (needs `input`) and `db`, each skipped
    /// when nil, for the channel blocks in `range`. One caller owns each block and sums its
    /// weight and bias gradients over the whole batch in a fixed order, so the result does
    /// not depend on how the blocks are shared out. `dx`, `dw` and `db` are overwritten.
    public static func backward(_ g: Geometry, input x: UnsafePointer<Float>?, outputGrad dy: UnsafePointer<Float>,
                                weight w: UnsafePointer<Float>?, inputGrad dx: UnsafeMutablePointer<Float>?,
                                weightGrad dw: UnsafeMutablePointer<Float>?, biasGrad db: UnsafeMutablePointer<Float>?,
                                blocks range: Range<Int>) {
        guard !range.isEmpty, g.outHeight > 0, g.outWidth > 0, g.batch > 0 else { return }
        let taps = g.taps, cols = g.scratchColumns
        let inPlane = g.height &* g.width, outPlane = g.outHeight &* g.outWidth
        let padded = g.scratchRows &* cols &* 16
        // Padded input, padded input gradient, output-gradient pixels, the block's weights
        // and weight-gradient sums per tap, and a transpose tile.
        let total = 2 &* padded &+ outPlane &* 16 &+ 2 &* taps &* 16 &+ 256
        let raw = UnsafeMutableRawPointer.allocate(byteCount: total &* 4, alignment: 64)
        defer { raw.deallocate() }
        let xPadded = raw.bindMemory(to: Float.self, capacity: total)
        xPadded.initialize(repeating: 0, count: total)
        let dxPadded = xPadded + padded, dyPixels = dxPadded + padded
        let weights = dyPixels + outPlane &* 16, sums = weights + taps &* 16
        let tile = UnsafeMutableRawPointer(sums + taps &* 16).bindMemory(to: Vec.self, capacity: 16)
        let input = g.inputLayout, output = g.outputLayout
        g.tapOffsets.withUnsafeBufferPointer { offsetBuffer in
            let offsets = offsetBuffer.baseAddress!
            for block in range {
                let c0 = block &* 16, valid = Swift.min(16, g.channels &- c0)
                if let w {
                    for t in 0..<taps {
                        for l in 0..<16 { weights[t &* 16 &+ l] = l < valid ? w[(c0 &+ l) &* taps &+ t] : 0 }
                    }
                }
                sums.update(repeating: 0, count: taps &* 16)
                var biasSum = Vec()
                for n in 0..<g.batch {
                    let first = n &* g.channels &+ c0
                    fill(output, source: dy + first &* outPlane, valid: valid, scratch: dyPixels, tile: tile)
                    if db != nil {
                        for p in 0..<outPlane { biasSum += load(dyPixels + p &* 16) }
                    }
                    if dw != nil, let x {
                        fill(input, source: x + first &* inPlane, valid: valid, scratch: xPadded, tile: tile)
                        accumulateWeightGradient(g, image: xPadded, columns: cols, gradient: dyPixels, offsets: offsets, sums: sums)
                    }
                    if let dx {
                        dxPadded.update(repeating: 0, count: padded)
                        scatterInputGradient(g, gradient: dyPixels, weights: weights, offsets: offsets,
                                             into: dxPadded, columns: cols)
                        drain(input, scratch: dxPadded, valid: valid, to: dx + first &* inPlane, tile: tile)
                    }
                }
                for l in 0..<valid {
                    if let dw { for t in 0..<taps { dw[(c0 &+ l) &* taps &+ t] = sums[t &* 16 &+ l] } }
                    if let db { db[c0 &+ l] = biasSum[l] }
                }
            }
        }
    }

    /// `sums[t] += Σ_pixels dy[p]·x[p + tap t]`, tap by tap with four partial sums, so each
    /// pass walks the gradient and one shifted window of the image.
    static func accumulateWeightGradient(_ g: Geometry, image: UnsafePointer<Float>, columns: Int,
                                         gradient: UnsafePointer<Float>, offsets: UnsafePointer<Int>,
                                         sums: UnsafeMutablePointer<Float>) {
        let ow = g.outWidth, step = g.strideW &* 16
        for t in 0..<g.taps {
            var a0 = Vec(), a1 = Vec(), a2 = Vec(), a3 = Vec()
            for oy in 0..<g.outHeight {
                let row = image + ((oy &* g.strideH &* columns) &* 16 &+ offsets[t])
                let grad = gradient + oy &* ow &* 16
                var ox = 0
                while ox &+ 4 <= ow {
                    a0 += load(grad + ox &* 16) * load(row + ox &* step)
                    a1 += load(grad + (ox &+ 1) &* 16) * load(row + (ox &+ 1) &* step)
                    a2 += load(grad + (ox &+ 2) &* 16) * load(row + (ox &+ 2) &* step)
                    a3 += load(grad + (ox &+ 3) &* 16) * load(row + (ox &+ 3) &* step)
                    ox &+= 4
                }
                while ox < ow {
                    a0 += load(grad + ox &* 16) * load(row + ox &* step)
                    ox &+= 1
                }
            }
            store(load(sums + t &* 16) + ((a0 + a1) + (a2 + a3)), sums + t &* 16)
        }
    }

    /// `dxPadded[p + tap t] += w[t]·dy[p]` for every output pixel and tap. Tap-major, so the
    /// updates of one pass never touch the same vector twice.
    static func scatterInputGradient(_ g: Geometry, gradient: UnsafePointer<Float>, weights: UnsafePointer<Float>,
                                     offsets: UnsafePointer<Int>, into dxPadded: UnsafeMutablePointer<Float>, columns: Int) {
        let ow = g.outWidth, step = g.strideW &* 16
        for t in 0..<g.taps {
            let wv = load(weights + t &* 16)
            for oy in 0..<g.outHeight {
                let row = dxPadded + ((oy &* g.strideH &* columns) &* 16 &+ offsets[t])
                let grad = gradient + oy &* ow &* 16
                for ox in 0..<ow {
                    let q = row + ox &* step
                    store(load(q) + wv * load(grad + ox &* 16), q)
                }
            }
        }
    }

    /// Where the pixels of a `height`×`width` plane sit in a pixel-vector scratch: pixel
    /// (y, x) at float `((y + top)·columns + x + left)·16`.
    struct Layout {
        var height: Int, width: Int, top: Int, left: Int, columns: Int

        @_transparent
        func offset(_ y: Int, _ x: Int) -> Int { ((y &+ top) &* columns &+ x &+ left) &* 16 }

        var plane: Int { height &* width }

        /// The plane's pixels in NCHW order, as scratch offsets: `fill` and `drain` walk it
        /// sixteen pixels (one register transpose) at a time.
        struct Walk {
            let layout: Layout
            var y = 0, x = 0

            @_transparent
            mutating func next() -> Int {
                let o = layout.offset(y, x)
                x &+= 1
                if x == layout.width { x = 0; y &+= 1 }
                return o
            }
        }

        var walk: Walk { Walk(layout: self) }
    }

    /// Transposes `valid` NCHW channel planes from `source` (one plane apart) into pixel
    /// vectors at `layout` in `scratch`; lanes past `valid` are zero.
    @inline(__always)
    static func fill(_ layout: Layout, source: UnsafePointer<Float>, valid: Int, scratch: UnsafeMutablePointer<Float>,
                     tile: UnsafeMutablePointer<Vec>) {
        let plane = layout.plane
        var pixels = layout.walk
        for p0 in stride(from: 0, to: plane, by: 16) {
            let count = Swift.min(16, plane &- p0)
            for r in 0..<16 {
                if r >= valid {
                    tile[r] = Vec()
                } else if count == 16 {
                    tile[r] = load(source + (r &* plane &+ p0))
                } else {
                    var v = Vec()
                    let row = source + (r &* plane &+ p0)
                    for l in 0..<count { v[l] = row[l] }
                    tile[r] = v
                }
            }
            AVX512GEMM.transpose16(tile)
            for k in 0..<count { store(tile[k], scratch + pixels.next()) }
        }
    }

    /// The inverse of `fill`: the pixel vectors at `layout` back into `valid` NCHW planes.
    @inline(__always)
    static func drain(_ layout: Layout, scratch: UnsafePointer<Float>, valid: Int, to out: UnsafeMutablePointer<Float>,
                      tile: UnsafeMutablePointer<Vec>) {
        let plane = layout.plane
        var pixels = layout.walk
        for p0 in stride(from: 0, to: plane, by: 16) {
            let count = Swift.min(16, plane &- p0)
            for k in 0..<16 { tile[k] = k < count ? load(scratch + pixels.next()) : Vec() }
            AVX512GEMM.transpose16(tile)
            for r in 0..<valid {
                let dst = out + (r &* plane &+ p0)
                if count == 16 {
                    store(tile[r], dst)
                } else {
                    let v = tile[r]
                    for l in 0..<count { dst[l] = v[l] }
                }
            }
        }
    }

    /// Every output pixel's sixteen channels: the taps' multiply-adds, then scale, shift and
    /// activation (`affine` holds the sixteen scales, then the sixteen shifts). Four pixels
    /// of a row at a time share each weight load.
    ///
    /// Vectors cross function and closure boundaries in four SSE pieces, so everything on
    /// them here is forced inline and works through pointers.
    static func correlate(_ g: Geometry, scratch: UnsafePointer<Float>, columns: Int, weights: UnsafePointer<Float>,
                          offsets: UnsafePointer<Int>, affine: UnsafePointer<Float>, activation: Activation,
                          pixels: UnsafeMutablePointer<Float>) {
        let taps = g.taps, ow = g.outWidth, step = g.strideW &* 16
        let scale = load(affine), shift = load(affine + 16)
        for oy in 0..<g.outHeight {
            let row = scratch + (oy &* g.strideH &* columns) &* 16
            let out = pixels + (oy &* ow) &* 16
            var ox = 0
            while ox &+ 4 <= ow {
                let p = row + ox &* step
                var a0 = Vec(), a1 = Vec(), a2 = Vec(), a3 = Vec()
                for t in 0..<taps {
                    let wv = load(weights + t &* 16), q = p + offsets[t]
                    a0 += wv * load(q)
                    a1 += wv * load(q + step)
                    a2 += wv * load(q + 2 &* step)
                    a3 += wv * load(q + 3 &* step)
                }
                let o = out + ox &* 16
                store(activate(a0 * scale + shift, activation), o)
                store(activate(a1 * scale + shift, activation), o + 16)
                store(activate(a2 * scale + shift, activation), o + 32)
                store(activate(a3 * scale + shift, activation), o + 48)
                ox &+= 4
            }
            while ox < ow {
                let q0 = row + ox &* step
                var a0 = Vec()
                for t in 0..<taps { a0 += load(weights + t &* 16) * load(q0 + offsets[t]) }
                store(activate(a0 * scale + shift, activation), out + ox &* 16)
                ox &+= 1
            }
        }
    }

    @_transparent
    static func activate(_ v: Vec, _ activation: Activation) -> Vec {
        switch activation {
        case .identity: return v
        case .relu: return v.replacing(with: 0, where: v .< 0)
        case .silu: return VectorMath.evaluate(.silu, v, v)
        }
    }

    @_transparent
    static func load(_ p: UnsafePointer<Float>) -> Vec { UnsafeRawPointer(p).loadUnaligned(as: Vec.self) }

    @_transparent
    static func store(_ v: Vec, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vec.self) }

}
#endif
