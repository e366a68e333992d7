import AVX512Kernels

/// Direct kernels for depthwise convolutions (each output channel reads one image channel).
///
/// A GEMM would have an inner dimension of only `kh·kw`, so these kernels work plane by plane
/// instead: the image plane is copied once into a zero-padded scratch whose columns are split
/// by stride phase, after which every kernel tap is a contiguous, unit-stride vector load at a
/// fixed offset. Each output vector then accumulates all taps in a register and is stored
/// once. The data gradient is the same correlation run on the output gradient (zero-dilated
/// by the stride, padded by `d·(k−1) − p`) with the kernel flipped.
enum DepthwiseConv {
    typealias Vec = FloatVector.Vec
    static let lanes = FloatVector.lanes

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Vec { FloatVector.load(p) }

    /// Where every tap of a plane correlation reads from, worked out once per call:
    /// `out[i][j] = Σ_t w[t]·src′[i·sh + ki·dh − padTop][j·sw + kj·dw − padLeft]`, where
    /// `src′` is the source plane dilated by `(upH, upW)` (zeros between samples) and zero
    /// outside.
    struct Plan {
        let outH: Int, outW: Int
        let kh: Int, kw: Int
        let taps: Int
        /// Vectors per output row (the row width rounded up to whole vectors).
        let vectorsPerRow: Int
        /// Scratch layout: `paddedRows × strideW` phase rows of `phaseWidth` floats.
        let phaseWidth: Int
        let scratchCount: Int
        /// Per tap: offset of its first read from a slot's base.
        let tapOffsets: [Int]
        /// Per output vector slot (row-major over rows, then vectors): base offset in scratch.
        let slotBases: [Int]
        /// Per scratch row (padded row × phase): source row, or −1 for zeros.
        let rowSources: [Int]
        /// Per scratch column within a phase row, for each phase: source column or −1.
        let columnSources: [Int]
        /// Without source dilation, each phase row is zeros, a strided run of the source row
        /// and zeros: per phase, the run's first and end column and its first source column.
        let runs: [(lo: Int, hi: Int, source: Int)]?
        let strideW: Int

        init(srcH: Int, srcW: Int, upH: Int = 1, upW: Int = 1, padTop: Int, padLeft: Int,
             outH: Int, outW: Int, kh: Int, kw: Int, sh: Int, sw: Int, dh: Int, dw: Int) {
            self.outH = outH
            self.outW = outW
            self.kh = kh
            self.kw = kw
            strideW = sw
            taps = kh * kw
            vectorsPerRow = (outW + DepthwiseConv.lanes - 1) / DepthwiseConv.lanes
            let paddedRows = (outH - 1) * sh + (kh - 1) * dh + 1
            phaseWidth = vectorsPerRow * DepthwiseConv.lanes + ((kw - 1) * dw) / sw
            scratchCount = paddedRows * sw * phaseWidth
            var offsets: [Int] = []
            for ki in 0..<kh {
                for kj in 0..<kw {
                    offsets.append((ki * dh * sw + (kj * dw) % sw) * phaseWidth + (kj * dw) / sw)
                }
            }
            tapOffsets = offsets
            var bases: [Int] = []
            bases.reserveCapacity(outH * vectorsPerRow)
            for i in 0..<outH {
                for v in 0..<vectorsPerRow { bases.append(i * sh * sw * phaseWidth + v * DepthwiseConv.lanes) }
            }
            slotBases = bases
            func source(_ padded: Int, pad: Int, up: Int, size: Int) -> Int {
                let s = padded - pad
                return s >= 0 && s % up == 0 && s / up < size ? s / up : -1
            }
            rowSources = (0..<paddedRows * sw).map { source($0 / sw, pad: padTop, up: upH, size: srcH) }
            var columns: [Int] = []
            for r in 0..<sw {
                for q in 0..<phaseWidth { columns.append(source(q * sw + r, pad: padLeft, up: upW, size: srcW)) }
            }
            columnSources = columns
            let width = phaseWidth
            runs = upW != 1 ? nil : (0..<sw).map { r in
                let (lo, hi) = Im2Col.validRange(offset: r - padLeft, stride: sw, size: srcW, count: width)
                return (lo, hi, lo * sw + r - padLeft)
            }
        }

        var slots: Int { slotBases.count }
    }

    /// Copies a source plane into the padded, dilated, phase-split scratch.
    static func fill(_ plan: Plan, source: UnsafePointer<Float>, srcW: Int, scratch: UnsafeMutablePointer<Float>) {
        let width = plan.phaseWidth, sw = plan.strideW
        plan.rowSources.withUnsafeBufferPointer { rows in
            plan.columnSources.withUnsafeBufferPointer { cols in
                for r in 0..<rows.count {
                    let dst = scratch + r &* width
                    let sr = rows[r]
                    if sr < 0 {
                        dst.update(repeating: 0, count: width)
                        continue
                    }
                    let src = source + sr &* srcW
                    let phase = r % sw
                    if let runs = plan.runs {
                        // The common case: zeros, a (strided) copy, zeros.
                        let (lo, hi, first) = runs[phase]
                        if lo > 0 { dst.update(repeating: 0, count: lo) }
                        if hi < width { (dst + hi).update(repeating: 0, count: width &- hi) }
                        if sw == 1 {
                            (dst + lo).update(from: src + first, count: hi &- lo)
                        } else {
                            let s = src + first
                            for q in 0..<(hi &- lo) { dst[lo &+ q] = s[q &* sw] }
                        }
                    } else {
                        let map = cols.baseAddress! + phase &* width
                        for q in 0..<width {
                            let c = map[q]
                            dst[q] = c >= 0 ? src[c] : 0
                        }
                    }
                }
            }
        }
    }

    /// One output plane from a filled scratch: `out = bias + Σ_t w[t]·scratch[slot + tap]`,
    /// or `out += Σ …` with `accumulate`.
    static func correlate(_ plan: Plan, scratch: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: Float,
                          out: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let taps = plan.taps, vpr = plan.vectorsPerRow, ow = plan.outW, n = plan.slots
        let start = Vec(repeating: accumulate ? 0 : bias)
        plan.tapOffsets.withUnsafeBufferPointer { offs in
            plan.slotBases.withUnsafeBufferPointer { bases in
                @inline(__always) func put(_ v: Vec, _ s: Int) {
                    let i = s / vpr, j = (s &- i &* vpr) &* lanes
                    FloatVector.store(v, out + (i &* ow &+ j), count: min(lanes, ow &- j), accumulate: accumulate)
                }
                var s = 0
                // Four independent accumulators hide the add latency and share each weight load.
                while s &+ 4 <= n {
                    let p0 = scratch + bases[s], p1 = scratch + bases[s &+ 1]
                    let p2 = scratch + bases[s &+ 2], p3 = scratch + bases[s &+ 3]
                    var a0 = start, a1 = start, a2 = start, a3 = start
                    for t in 0..<taps {
                        let w = Vec(repeating: weights[t]), o = offs[t]
                        let x0 = load(p0 + o), x1 = load(p1 + o), x2 = load(p2 + o), x3 = load(p3 + o)
                        a0 += w * x0
                        a1 += w * x1
                        a2 += w * x2
                        a3 += w * x3
                    }
                    put(a0, s); put(a1, s &+ 1); put(a2, s &+ 2); put(a3, s &+ 3)
                    s &+= 4
                }
                while s < n {
                    let p0 = scratch + bases[s]
                    var a0 = start
                    for t in 0..<taps {
                        let w = Vec(repeating: weights[t]), x0 = load(p0 + offs[t])
                        a0 += w * x0
                    }
                    put(a0, s)
                    s &+= 1
                }
            }
        }
    }

    /// Adds to `sums[t]` the dot product of the output-gradient plane (already laid out as
    /// whole zero-padded vectors per row) with the scratch window of every tap `t`.
    ///
    /// Taps of one kernel row are done up to four at a time, so each gradient vector is
    /// loaded once for several taps.
    static func tapDots(_ plan: Plan, scratch: UnsafePointer<Float>, gradient: UnsafePointer<Float>,
                        sums: UnsafeMutablePointer<Float>) {
        let n = plan.slots, kw = plan.kw
        plan.tapOffsets.withUnsafeBufferPointer { offs in
            plan.slotBases.withUnsafeBufferPointer { bases in
                for ki in 0..<plan.kh {
                    var kj = 0
                    while kj < kw {
                        let t = ki &* kw &+ kj
                        let group = min(4, kw &- kj)
                        let o0 = offs[t], o1 = offs[t &+ min(1, group &- 1)]
                        let o2 = offs[t &+ min(2, group &- 1)], o3 = offs[t &+ min(3, group &- 1)]
                        var a0 = Vec(), a1 = Vec(), a2 = Vec(), a3 = Vec()
                        switch group {
                        case 1:
                            var b0 = Vec()
                            var s = 0
                            while s &+ 2 <= n {
                                let g0 = load(gradient + s &* lanes), g1 = load(gradient + (s &+ 1) &* lanes)
                                let x0 = load(scratch + (bases[s] &+ o0)), x1 = load(scratch + (bases[s &+ 1] &+ o0))
                                a0 += g0 * x0
                                b0 += g1 * x1
                                s &+= 2
                            }
                            if s < n {
                                let g0 = load(gradient + s &* lanes), x0 = load(scratch + (bases[s] &+ o0))
                                a0 += g0 * x0
                            }
                            a0 += b0
                        case 2:
                            for s in 0..<n {
                                let g = load(gradient + s &* lanes), b = scratch + bases[s]
                                let x0 = load(b + o0), x1 = load(b + o1)
                                a0 += g * x0
                                a1 += g * x1
                            }
                        default:
                            // Three or four taps; with three, the fourth repeats the third.
                            for s in 0..<n {
                                let g = load(gradient + s &* lanes), b = scratch + bases[s]
                                let x0 = load(b + o0), x1 = load(b + o1), x2 = load(b + o2), x3 = load(b + o3)
                                a0 += g * x0
                                a1 += g * x1
                                a2 += g * x2
                                a3 += g * x3
                            }
                        }
                        sums[t] += a0.sum()
                        if group > 1 { sums[t &+ 1] += a1.sum() }
                        if group > 2 { sums[t &+ 2] += a2.sum() }
                        if group > 3 { sums[t &+ 3] += a3.sum() }
                        kj &+= group
                    }
                }
            }
        }
    }

    /// Copies an `outH × outW` plane into whole zero-padded vectors per row.
    static func padRows(_ plan: Plan, _ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>) {
        let width = plan.vectorsPerRow &* lanes, ow = plan.outW
        for i in 0..<plan.outH {
            let d = dst + i &* width
            d.update(from: src + i &* ow, count: ow)
            if width > ow { (d + ow).update(repeating: 0, count: width &- ow) }
        }
    }

    // MARK: - The three convolution products

    /// The forward plan: correlate the image with the kernel at the convolution's stride.
    static func forwardPlan(_ g: ConvGeometry) -> Plan {
        Plan(srcH: g.height, srcW: g.width, padTop: g.padH, padLeft: g.padW, outH: g.outHeight, outW: g.outWidth,
             kh: g.kernelH, kw: g.kernelW, sh: g.strideH, sw: g.strideW, dh: g.dilationH, dw: g.dilationW)
    }

    /// `y = conv(x, w) + bias`, parallel over (image, output channel).
    static func forward(_ g: ConvGeometry, input x: UnsafePointer<Float>, weight w: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, output y: UnsafeMutablePointer<Float>) {
        let plan = forwardPlan(g)
        let cout = g.outChannels, mult = g.outChannelsPerGroup, taps = g.kernelArea
        let inPlane = g.imagePlane, outPlane = g.outPlane, cin = g.imageChannels, width = g.width
        Parallel.chunks(g.batch * cout) { start, end in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: plan.scratchCount)
            defer { scratch.deallocate() }
            var filled = -1
            for item in start..<end {
                let n = item / cout, oc = item &- n &* cout
                let source = n &* cin &+ oc / mult
                // Output channels that share an image channel reuse its scratch.
                if source != filled {
                    fill(plan, source: x + source &* inPlane, srcW: width, scratch: scratch)
                    filled = source
                }
                correlate(plan, scratch: scratch, weights: w + oc &* taps, bias: bias?[oc] ?? 0,
                          out: y + item &* outPlane, accumulate: false)
            }
        }
    }

    /// The forward pass on `AVX512Depthwise` (sixteen channels in the lanes) with the
    /// epilogue's scale, shift and activation fused; false, having done nothing, where that
    /// kernel does not apply (no AVX-512, a channel multiplier above 1, or a residual).
    static func forwardAVX512(_ g: ConvGeometry, input x: UnsafePointer<Float>, weight w: UnsafePointer<Float>,
                              bias: UnsafePointer<Float>?, output y: UnsafeMutablePointer<Float>,
                              epilogue: ConvKernels.Epilogue) -> Bool {
        #if arch(x86_64)
        guard let wide = wideGeometry(g), epilogue.residual == nil else { return false }
        let activation: AVX512Depthwise.Activation
        switch epilogue.activation {
        case .identity: activation = .identity
        case .relu: activation = .relu
        case .silu: activation = .silu
        }
        // The epilogue adds the bias after its scale: one shift carries both.
        var shift: [Float]? = nil
        if bias != nil || epilogue.shift != nil {
            shift = (0..<g.outChannels).map { (bias?[$0] ?? 0) + (epilogue.shift?[$0] ?? 0) }
        }
        let items = AVX512Depthwise.items(wide)
        func run(_ shift: UnsafePointer<Float>?) {
            Parallel.chunks(items, minChunk: Swift.max(1, 4096 / Swift.max(1, 16 * g.outPlane))) { start, end in
                AVX512Depthwise.forward(wide, input: x, weight: w, scale: epilogue.scale, shift: shift,
                                        activation: activation, output: y, items: start..<end)
            }
        }
        if let shift { shift.withUnsafeBufferPointer { run($0.baseAddress) } } else { run(nil) }
        return true
        #else
        return false
        #endif
    }

    #if arch(x86_64)
    /// The geometry for `AVX512Depthwise`, or nil where it does not apply (no AVX-512, a
    /// channel multiplier above 1, or an empty batch or plane).
    static func wideGeometry(_ g: ConvGeometry) -> AVX512Depthwise.Geometry? {
        guard BLAS.avx512Available, g.outChannelsPerGroup == 1, g.batch > 0, g.outPlane > 0, g.imagePlane > 0 else {
            return nil
        }
        return AVX512Depthwise.Geometry(
            batch: g.batch, channels: g.outChannels, height: g.height, width: g.width,
            outHeight: g.outHeight, outWidth: g.outWidth, kernelH: g.kernelH, kernelW: g.kernelW,
            strideH: g.strideH, strideW: g.strideW, padH: g.padH, padW: g.padW,
            dilationH: g.dilationH, dilationW: g.dilationW)
    }
    #endif

    /// `backward` on `AVX512Depthwise`, parallel over blocks of sixteen channels; false,
    /// having done nothing, where that kernel does not apply.
    static func backwardAVX512(_ g: ConvGeometry, input x: UnsafePointer<Float>, outputGrad dy: UnsafePointer<Float>,
                               weight w: UnsafePointer<Float>?, inputGrad dx: UnsafeMutablePointer<Float>?,
                               weightGrad dw: UnsafeMutablePointer<Float>?, biasGrad db: UnsafeMutablePointer<Float>?) -> Bool {
        #if arch(x86_64)
        guard let wide = wideGeometry(g) else { return false }
        Parallel.chunks((g.outChannels + 15) / 16) { start, end in
            AVX512Depthwise.backward(wide, input: x, outputGrad: dy, weight: w, inputGrad: dx, weightGrad: dw, biasGrad: db,
                                     blocks: start..<end)
        }
        return true
        #else
        return false
        #endif
    }

    /// The data-gradient plan: the output gradient, zero-dilated by the stride and padded by
    /// `d·(k−1) − p`, correlated at stride 1 into an image-sized plane.
    static func dataPlan(_ g: ConvGeometry) -> Plan {
        Plan(srcH: g.outHeight, srcW: g.outWidth, upH: g.strideH, upW: g.strideW,
             padTop: (g.kernelH - 1) * g.dilationH - g.padH, padLeft: (g.kernelW - 1) * g.dilationW - g.padW,
             outH: g.height, outW: g.width, kh: g.kernelH, kw: g.kernelW, sh: 1, sw: 1,
             dh: g.dilationH, dw: g.dilationW)
    }

    /// Every output channel's kernel rotated by 180°.
    static func flippedKernels(_ g: ConvGeometry, _ w: UnsafePointer<Float>) -> [Float] {
        let taps = g.kernelArea, count = g.outChannels * taps
        return [Float](unsafeUninitializedCapacity: count) { buf, n in
            for oc in 0..<g.outChannels { for t in 0..<taps { buf[oc * taps + t] = w[oc * taps + taps - 1 - t] } }
            n = count
        }
    }

    /// The requested gradients (nil pointers are skipped) in one pass over the output
    /// gradient, parallel over image channels: each output-gradient plane is read from memory
    /// once and then serves the weight, bias and data gradients from cache. Each thread owns
    /// its channels' weights and biases, so nothing is reduced across threads. The weight is
    /// only read for `dx`.
    static func backward(_ g: ConvGeometry, input x: UnsafePointer<Float>, outputGrad dy: UnsafePointer<Float>,
                         weight w: UnsafePointer<Float>?, inputGrad dx: UnsafeMutablePointer<Float>?,
                         weightGrad dw: UnsafeMutablePointer<Float>?, biasGrad db: UnsafeMutablePointer<Float>?) {
        if backwardAVX512(g, input: x, outputGrad: dy, weight: w, inputGrad: dx, weightGrad: dw, biasGrad: db) { return }
        let imagePlan = forwardPlan(g), gradPlan = dataPlan(g)
        let taps = g.kernelArea, cout = g.outChannels, cin = g.imageChannels, mult = g.outChannelsPerGroup
        let inPlane = g.imagePlane, outPlane = g.outPlane, width = g.width, ow = g.outWidth, batch = g.batch
        dw?.update(repeating: 0, count: cout * taps)
        db?.update(repeating: 0, count: cout)
        let flipped = dx == nil ? [] : flippedKernels(g, w!)
        flipped.withUnsafeBufferPointer { wf in
            Parallel.chunks(cin) { start, end in
                let imageScratch = UnsafeMutablePointer<Float>.allocate(capacity: dw == nil ? 1 : imagePlan.scratchCount)
                let gradRows = UnsafeMutablePointer<Float>.allocate(capacity: dw == nil ? 1 : imagePlan.slots * lanes)
                let gradScratch = UnsafeMutablePointer<Float>.allocate(capacity: dx == nil ? 1 : gradPlan.scratchCount)
                defer { imageScratch.deallocate(); gradRows.deallocate(); gradScratch.deallocate() }
                for ic in start..<end {
                    for n in 0..<batch {
                        if dw != nil {
                            fill(imagePlan, source: x + (n &* cin &+ ic) &* inPlane, srcW: width, scratch: imageScratch)
                        }
                        for k in 0..<mult {
                            let oc = ic &* mult &+ k
                            let plane = dy + (n &* cout &+ oc) &* outPlane
                            if let dw {
                                padRows(imagePlan, plane, into: gradRows)
                                tapDots(imagePlan, scratch: imageScratch, gradient: gradRows, sums: dw + oc &* taps)
                            }
                            if let db { db[oc] += FloatVector.sum(plane, count: outPlane) }
                            if let dx {
                                fill(gradPlan, source: plane, srcW: ow, scratch: gradScratch)
                                correlate(gradPlan, scratch: gradScratch, weights: wf.baseAddress! + oc &* taps, bias: 0,
                                          out: dx + (n &* cin &+ ic) &* inPlane, accumulate: k > 0)
                            }
                        }
                    }
                }
            }
        }
    }

    /// `dw = Σₙ dy ⋆ x`: the weight part of `backward`.
    static func backwardWeight(_ g: ConvGeometry, input x: UnsafePointer<Float>, outputGrad dy: UnsafePointer<Float>,
                               weightGrad dw: UnsafeMutablePointer<Float>) {
        backward(g, input: x, outputGrad: dy, weight: nil, inputGrad: nil, weightGrad: dw, biasGrad: nil)
    }
}
