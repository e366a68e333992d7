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
        let outPixels = (outPlane &+ 15) & ~15
        // Padded input, output pixels, the block's weights per tap, a transpose tile, and
        // the block's scale and shift.
        let padded = rows &* cols &* 16
        let total = padded &+ outPixels &* 16 &+ taps &* 16 &+ 16 &* 16 &+ 32
        let raw = UnsafeMutableRawPointer.allocate(byteCount: total &* 4, alignment: 64)
        defer { raw.deallocate() }
        let scratch = raw.bindMemory(to: Float.self, capacity: total)
        // The border is zero once and stays so: each item rewrites the same interior.
        scratch.initialize(repeating: 0, count: total)
        let pixels = scratch + padded, weights = pixels + outPixels &* 16
        let tile = UnsafeMutableRawPointer(weights + taps &* 16).bindMemory(to: Vec.self, capacity: 16)
        let affine = weights + (taps &* 16 &+ 256)
        // Offsets of the taps from an output pixel's first read, in floats.
        var offsets = [Int](repeating: 0, count: taps)
        for ki in 0..<g.kernelH {
            for kj in 0..<g.kernelW { offsets[ki &* g.kernelW &+ kj] = (ki &* g.dilationH &* cols &+ kj &* g.dilationW) &* 16 }
        }
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
                fill(g, source: source, valid: valid, plane: inPlane, scratch: scratch, columns: cols, tile: tile)
                correlate(g, scratch: scratch, columns: cols, weights: weights, offsets: tapOffsets.baseAddress!,
                          affine: affine, activation: activation, pixels: pixels)
                drain(pixels, count: outPlane, valid: valid, to: y + (n &* g.channels &+ c0) &* outPlane, tile: tile)
            }
        }
    }

    /// Transposes `valid` channel planes (`plane` pixels each, `plane` apart) into the
    /// padded scratch, sixteen floats per pixel.
    @inline(__always)
    static func fill(_ g: Geometry, source: UnsafePointer<Float>, valid: Int, plane: Int,
                     scratch: UnsafeMutablePointer<Float>, columns: Int, tile: UnsafeMutablePointer<Vec>) {
        var y = 0, x = 0
        var p0 = 0
        while p0 < plane {
            let count = Swift.min(16, plane &- p0)
            for r in 0..<16 {
                if r >= valid {
                    tile[r] = Vec()
                } else if count == 16 {
                    tile[r] = UnsafeRawPointer(source + (r &* plane &+ p0)).loadUnaligned(as: Vec.self)
                } else {
                    var v = Vec()
                    let row = source + (r &* plane &+ p0)
                    for l in 0..<count { v[l] = row[l] }
                    tile[r] = v
                }
            }
            AVX512GEMM.transpose16(tile)
            for k in 0..<count {
                let at = scratch + ((y &+ g.padH) &* columns &+ x &+ g.padW) &* 16
                UnsafeMutableRawPointer(at).storeBytes(of: tile[k], as: Vec.self)
                x &+= 1
                if x == g.width { x = 0; y &+= 1 }
            }
            p0 &+= 16
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

    /// Transposes the output pixels back into `valid` NCHW planes of `count` pixels.
    @inline(__always)
    static func drain(_ pixels: UnsafePointer<Float>, count plane: Int, valid: Int, to y: UnsafeMutablePointer<Float>,
                      tile: UnsafeMutablePointer<Vec>) {
        var p0 = 0
        while p0 < plane {
            let count = Swift.min(16, plane &- p0)
            // Pixels past the plane are left over from earlier items or zero: never stored.
            for k in 0..<16 { tile[k] = UnsafeRawPointer(pixels + (p0 &+ k) &* 16).loadUnaligned(as: Vec.self) }
            AVX512GEMM.transpose16(tile)
            for r in 0..<valid {
                let dst = y + (r &* plane &+ p0)
                if count == 16 {
                    UnsafeMutableRawPointer(dst).storeBytes(of: tile[r], as: Vec.self)
                } else {
                    let v = tile[r]
                    for l in 0..<count { dst[l] = v[l] }
                }
            }
            p0 &+= 16
        }
    }
}
#endif
