/// The three products of a 2-D convolution — forward, data gradient, weight gradient — on
/// raw NCHW buffers, each choosing the fastest of three algorithms for its geometry:
///
/// - **pointwise** (1×1, stride 1, no padding) on large planes: the image already is the
///   column matrix, so each image and group is one GEMM;
/// - **depthwise** (one image channel per output channel): direct kernels (`DepthwiseConv`);
/// - otherwise **im2col**: unfold a tile (a few whole images, or a band of output rows of a
///   large one) in parallel into one column matrix with the tile's images side by side, then
///   GEMMs. The column buffer holds one tile and comes from `ScratchPool`.
///
/// Small output planes (the late stages of a network: 4×4 or 2×2 at 64 px) make per-image
/// GEMMs a few columns wide, where packing dominates and a 32-wide register tile idles; below
/// `batchedBelow` output positions a tile's images therefore share one GEMM
/// (N = images × positions), its output gathered from and scattered back to NCHW on the way.
///
/// The unfolding, folding and depthwise loops run on `Parallel.chunks`; GEMMs run outside it,
/// on their own threads, so the two never oversubscribe the cores. On AVX-512 the forward and
/// the backward instead give each thread its own images to take through every step
/// (`threadTiles`).
enum ConvKernels {
    /// Upper bound on one column buffer (floats): large enough that a tile holds a few small
    /// images, small enough to stay in the last-level cache.
    static let defaultColumnBudget = 1 << 20

    /// Output planes smaller than this share one GEMM across a tile's images.
    static let defaultBatchedBelow = 1024

    /// A unit of im2col work: `images` whole images from `first`, or output rows `y0..<y1`
    /// of the single image `first`.
    struct Tile {
        var first: Int
        var images: Int
        var y0: Int
        var y1: Int
    }

    /// Splits the batch (or the images `images` of it) into tiles whose column matrices fit
    /// in `budget` floats.
    static func tiles(_ g: ConvGeometry, budget: Int = defaultColumnBudget, images: Range<Int>? = nil) -> [Tile] {
        let images = images ?? 0..<g.batch
        let perRow = g.imageChannels * g.kernelArea * g.outWidth
        let perImage = g.columnsPerImage
        var result: [Tile] = []
        if perImage <= budget {
            let chunk = max(1, budget / max(1, perImage))
            for first in stride(from: images.lowerBound, to: images.upperBound, by: chunk) {
                result.append(Tile(first: first, images: min(chunk, images.upperBound - first), y0: 0, y1: g.outHeight))
            }
        } else {
            let rows = max(1, budget / max(1, perRow))
            for n in images {
                for y0 in stride(from: 0, to: g.outHeight, by: rows) {
                    result.append(Tile(first: n, images: 1, y0: y0, y1: min(g.outHeight, y0 + rows)))
                }
            }
        }
        return result
    }

    /// Output positions of one image in a tile.
    @inline(__always)
    static func length(_ g: ConvGeometry, _ tile: Tile) -> Int { (tile.y1 - tile.y0) * g.outWidth }

    /// Unfolds a tile into `columns`, `[imageChannels·kh·kw, images·length]`: image `i`'s
    /// output positions are columns `i·length..<(i+1)·length` of every row.
    static func unfold(_ g: ConvGeometry, _ x: UnsafePointer<Float>, _ tile: Tile, into columns: UnsafeMutablePointer<Float>) {
        let cin = g.imageChannels, length = length(g, tile), ld = tile.images * length
        if g.isPointwise {
            // A 1×1 stride-1 unpadded column matrix is the image itself: copy whole planes.
            Parallel.chunks(tile.images * cin, minChunk: Swift.max(1, 4096 / Swift.max(1, length))) { start, end in
                for item in start..<end {
                    FloatVector.copy(from: x + ((tile.first &* cin &+ item) &* g.imagePlane &+ tile.y0 &* g.outWidth),
                                     to: columns + ((item % cin) &* ld &+ (item / cin) &* length), count: length)
                }
            }
            return
        }
        forEachPlane(g, tile) { plane, offset, padded in
            Im2Col.unfold(g, plane: x + plane &* g.imagePlane, rows: columns + offset, rowStride: ld,
                          y0: tile.y0, y1: tile.y1, padded: padded)
        }
    }

    /// Adds a tile's column matrix (as `unfold` lays it out) back onto `dx`, whose planes the
    /// first band of each image clears.
    static func fold(_ g: ConvGeometry, _ columns: UnsafeMutablePointer<Float>, _ tile: Tile, onto dx: UnsafeMutablePointer<Float>) {
        let ld = tile.images * length(g, tile)
        forEachPlane(g, tile) { plane, offset, padded in
            let target = dx + plane &* g.imagePlane
            if tile.y0 == 0 { target.update(repeating: 0, count: g.imagePlane) }
            Im2Col.fold(g, rows: columns + offset, rowStride: ld, plane: target, y0: tile.y0, y1: tile.y1, padded: padded)
        }
    }

    /// Runs `body(plane, offset, padded)` for every image channel of a tile, in parallel
    /// chunks: `plane` indexes the NCHW planes, `offset` is where that channel's rows start in
    /// the tile's column matrix, and `padded` is the chunk's own window buffer.
    static func forEachPlane(_ g: ConvGeometry, _ tile: Tile, _ body: (Int, Int, UnsafeMutablePointer<Float>) -> Void) {
        let cin = g.imageChannels, length = length(g, tile)
        let channelRows = g.kernelArea * tile.images * length
        let window = Im2Col.Window(g, y0: tile.y0, y1: tile.y1).count
        Parallel.chunks(tile.images * cin) { start, end in
            let padded = UnsafeMutablePointer<Float>.allocate(capacity: window)
            defer { padded.deallocate() }
            for item in start..<end {
                body(tile.first &* cin &+ item, (item % cin) &* channelRows &+ (item / cin) &* length, padded)
            }
        }
    }

    /// What inference does to a convolution's output in the pass that writes it: scale and
    /// shift each channel (BatchNorm's running statistics), add a residual (a tensor of the
    /// output's shape, as ResNet's shortcut), then clamp at 0.
    struct Epilogue {
        var scale: UnsafePointer<Float>? = nil
        var shift: UnsafePointer<Float>? = nil
        var residual: UnsafePointer<Float>? = nil
        var activation: Activation = .identity

        /// The activations applied where the output is written.
        enum Activation { case identity, relu, silu }

        static let none = Epilogue()
        var isNone: Bool { scale == nil && shift == nil && residual == nil && activation == .identity }

        /// `v·scale[c] + bias + shift[c] + residual`, then ReLU if asked, for `count` outputs
        /// of channel `c` read from `source` and written to `output` at element `index` of the
        /// tensor. SiLU is `activate`'s.
        @inline(__always)
        func write(_ source: UnsafePointer<Float>, to output: UnsafeMutablePointer<Float>, count: Int, channel c: Int,
                   index: Int, bias: Float) {
            let s = scale?[c] ?? 1, b = bias + (shift?[c] ?? 0)
            let floor: Float = activation == .relu ? 0 : -.infinity
            if let residual {
                let res = residual + index
                for j in 0..<count { output[j] = Swift.max(source[j] * s + b + res[j], floor) }
            } else {
                for j in 0..<count { output[j] = Swift.max(source[j] * s + b, floor) }
            }
        }

        /// The activations `write` leaves out (SiLU), in place over `count` written outputs.
        /// Callers pass the longest contiguous span they have just written: it is still in
        /// cache, and the vector kernel wastes lanes on the short rows of small planes.
        @inline(__always)
        func activate(_ output: UnsafeMutablePointer<Float>, count: Int) {
            if activation == .silu { Tensor.vectorFunction(.silu, x: output, out: output, count: count) }
        }
    }

    /// Copies a tile's part of an NCHW tensor with `channels` channels into `[channels,
    /// images·length]` (`toNCHW: false`), or back, adding `bias` per channel if given and
    /// applying `epilogue`.
    static func transfer(_ g: ConvGeometry, _ tile: Tile, channels: Int, nchw: UnsafeMutablePointer<Float>,
                         matrix: UnsafeMutablePointer<Float>, toNCHW: Bool, bias: UnsafePointer<Float>? = nil,
                         epilogue: Epilogue = .none) {
        let length = length(g, tile), ld = tile.images * length, outPlane = g.outPlane
        let offset = tile.y0 * g.outWidth
        Parallel.chunks(tile.images * channels, minChunk: max(1, 4096 / max(1, length))) { start, end in
            for item in start..<end {
                let i = item / channels, c = item % channels
                let index = ((tile.first &+ i) &* channels &+ c) &* outPlane &+ offset
                let image = nchw + index, row = matrix + (c &* ld &+ i &* length)
                if !toNCHW {
                    FloatVector.copy(from: image, to: row, count: length)
                } else if !epilogue.isNone {
                    epilogue.write(row, to: image, count: length, channel: c, index: index, bias: bias?[c] ?? 0)
                    if length != outPlane { epilogue.activate(image, count: length) }
                } else if let bias {
                    let b = bias[c]
                    for j in 0..<length { image[j] = row[j] + b }
                } else {
                    FloatVector.copy(from: row, to: image, count: length)
                }
            }
            // Whole planes: the chunk's outputs are one contiguous span of the tensor.
            if toNCHW && length == outPlane {
                epilogue.activate(nchw + (tile.first &* channels &+ start) &* outPlane, count: (end &- start) &* outPlane)
            }
        }
    }

    /// Runs `body(tile, columns, outputs)` for every tile with reused buffers: `columns` for
    /// the largest tile's column matrix, `outputs` (nil unless `batched`) for its
    /// `[outChannels, images·length]` output matrix.
    static func forEachTile(_ g: ConvGeometry, budget: Int, batched: Bool,
                            _ body: (Tile, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>?) -> Void) {
        let all = tiles(g, budget: budget)
        let widest = all.map { $0.images * length(g, $0) }.max() ?? 0
        ScratchPool.withBuffer(g.imageChannels * g.kernelArea * widest) { columns in
            if batched {
                ScratchPool.withBuffer(g.outChannels * widest) { outputs in
                    for tile in all { body(tile, columns, outputs) }
                }
            } else {
                for tile in all { body(tile, columns, nil) }
            }
        }
    }

    /// `y = conv(x, w) (+ bias)`, then `epilogue` (inference scales and shifts by
    /// BatchNorm's statistics and adds the shortcut and ReLU in the pass that writes `y`,
    /// instead of copying and rescaling the weights); `y` is `[batch, outChannels,
    /// outHeight, outWidth]`. `threads` is how many threads the AVX-512 forward shares the
    /// batch among (tests vary it; the result does not depend on it).
    static func forward(_ g: ConvGeometry, input x: UnsafePointer<Float>, weight w: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, output y: UnsafeMutablePointer<Float>, epilogue: Epilogue = .none,
                        columnBudget: Int = defaultColumnBudget, batchedBelow: Int = defaultBatchedBelow,
                        threads: Int = Parallel.threads) {
        // A scaled output takes its bias after the scale: with an epilogue, the epilogue adds it.
        let productBias = epilogue.isNone ? bias : nil
        if g.isDepthwise {
            if DepthwiseConv.forwardAVX512(g, input: x, weight: w, bias: bias, output: y, epilogue: epilogue) { return }
            DepthwiseConv.forward(g, input: x, weight: w, bias: productBias, output: y)
            apply(epilogue, bias: bias, to: y, g)
            return
        }
        if g.outPlane < batchedBelow {
            // Shared GEMMs: the scatter back to NCHW adds the bias and applies the epilogue.
            forwardProducts(g, input: x, weight: w, bias: bias, output: y, epilogue: epilogue,
                            columnBudget: columnBudget, batchedBelow: batchedBelow, threads: threads)
        } else {
            forwardProducts(g, input: x, weight: w, bias: productBias, output: y, epilogue: .none,
                            columnBudget: columnBudget, batchedBelow: batchedBelow, threads: threads)
            apply(epilogue, bias: bias, to: y, g)
        }
    }

    /// Applies `epilogue` to the whole output `y` in place, in parallel chunks of planes.
    static func apply(_ epilogue: Epilogue, bias: UnsafePointer<Float>?, to y: UnsafeMutablePointer<Float>, _ g: ConvGeometry) {
        if epilogue.isNone { return }
        let plane = g.outPlane, channels = g.outChannels
        Parallel.chunks(g.batch * channels, minChunk: Swift.max(1, 8192 / Swift.max(1, plane))) { start, end in
            for p in start..<end {
                let row = y + p &* plane
                epilogue.write(row, to: row, count: plane, channel: p % channels, index: p &* plane, bias: bias?[p % channels] ?? 0)
            }
            epilogue.activate(y + start &* plane, count: (end &- start) &* plane)
        }
    }

    /// The GEMM part of `forward`; `epilogue` is applied only where the output passes through
    /// the scatter of a shared GEMM (the caller applies it otherwise).
    private static func forwardProducts(_ g: ConvGeometry, input x: UnsafePointer<Float>, weight w: UnsafePointer<Float>,
                                        bias: UnsafePointer<Float>?, output y: UnsafeMutablePointer<Float>, epilogue: Epilogue,
                                        columnBudget: Int, batchedBelow: Int, threads: Int) {
        if forwardImplicit(g, input: x, weight: w, bias: bias, output: y, epilogue: epilogue,
                           columnBudget: columnBudget, batchedBelow: batchedBelow, threads: threads) { return }
        let groups = g.groups, coutG = g.outChannelsPerGroup, k = g.columnRows, outPlane = g.outPlane
        let outImage = g.outChannels * outPlane, batched = outPlane < batchedBelow
        // Direct GEMMs start from the bias (beta = 1), saving a pass over the output.
        if let bias, !batched { fillBias(batch: g.batch, channels: g.outChannels, plane: outPlane, bias, y) }
        let beta: Float = bias == nil ? 0 : 1
        if g.isPointwise && !batched {
            let inImage = g.imageChannels * g.imagePlane
            for n in 0..<g.batch {
                for grp in 0..<groups {
                    BLAS.sgemm(transA: false, transB: false, m: coutG, n: outPlane, k: k,
                               a: w + grp * g.weightGroupSize, lda: k,
                               b: x + n * inImage + grp * k * outPlane, ldb: outPlane,
                               beta: beta, c: y + n * outImage + grp * coutG * outPlane, ldc: outPlane)
                }
            }
            return
        }
        forEachTile(g, budget: columnBudget, batched: batched) { tile, columns, outputs in
            unfold(g, x, tile, into: columns)
            let length = length(g, tile), ld = tile.images * length
            if let outputs {
                for grp in 0..<groups {
                    BLAS.sgemm(transA: false, transB: false, m: coutG, n: ld, k: k, a: w + grp * g.weightGroupSize, lda: k,
                               b: columns + grp * k * ld, ldb: ld, c: outputs + grp * coutG * ld, ldc: ld)
                }
                transfer(g, tile, channels: g.outChannels, nchw: y, matrix: outputs, toNCHW: true, bias: bias, epilogue: epilogue)
                return
            }
            for i in 0..<tile.images {
                for grp in 0..<groups {
                    BLAS.sgemm(transA: false, transB: false, m: coutG, n: length, k: k,
                               a: w + grp * g.weightGroupSize, lda: k,
                               b: columns + grp * k * ld + i * length, ldb: ld, beta: beta,
                               c: y + (tile.first + i) * outImage + grp * coutG * outPlane + tile.y0 * g.outWidth,
                               ldc: outPlane)
                }
            }
        }
    }

    /// `dx = conv(·, w)ᵀ·dy`; `dx` is `[batch, imageChannels, height, width]` and is overwritten.
    static func backwardData(_ g: ConvGeometry, outputGrad dy: UnsafePointer<Float>, weight w: UnsafePointer<Float>,
                             inputGrad dx: UnsafeMutablePointer<Float>, columnBudget: Int = defaultColumnBudget,
                             batchedBelow: Int = defaultBatchedBelow) {
        backward(g, input: nil, outputGrad: dy, weight: w, inputGrad: dx, weightGrad: nil, biasGrad: nil,
                 columnBudget: columnBudget, batchedBelow: batchedBelow)
    }

    /// `dw = Σₙ dy·colᵀ`; `dw` is `[outChannels, imageChannels/groups, kh, kw]`, overwritten.
    static func backwardWeight(_ g: ConvGeometry, input x: UnsafePointer<Float>, outputGrad dy: UnsafePointer<Float>,
                               weightGrad dw: UnsafeMutablePointer<Float>, columnBudget: Int = defaultColumnBudget,
                               batchedBelow: Int = defaultBatchedBelow) {
        backward(g, input: x, outputGrad: dy, weight: nil, inputGrad: nil, weightGrad: dw, biasGrad: nil,
                 columnBudget: columnBudget, batchedBelow: batchedBelow)
    }

    /// The requested gradients of a convolution (nil pointers are skipped; `x` is needed for
    /// `dw`, `w` for `dx`): `dx = conv(·, w)ᵀ·dy`, `dw = Σₙ dy·colᵀ`, `db` as `biasGradient`,
    /// all overwritten. One pass over the tiles serves both GEMM products, sharing the
    /// gathered output gradient and the column buffer. On AVX-512, when the batch gives
    /// every one of `threads` threads an image, each thread takes its own images
    /// through all the steps (as the forward does); `dx` is then the same for any thread
    /// count, and `dw`, summed per thread and added up in thread order, the same for the
    /// same thread count.
    static func backward(_ g: ConvGeometry, input x: UnsafePointer<Float>?, outputGrad dy: UnsafePointer<Float>,
                         weight w: UnsafePointer<Float>?, inputGrad dx: UnsafeMutablePointer<Float>?,
                         weightGrad dw: UnsafeMutablePointer<Float>?, biasGrad db: UnsafeMutablePointer<Float>?,
                         columnBudget: Int = defaultColumnBudget, batchedBelow: Int = defaultBatchedBelow,
                         threads: Int = Parallel.threads) {
        let dw = x == nil ? nil : dw, dx = w == nil ? nil : dx
        if g.isDepthwise && g.batch > 0 {
            // `x` is read only for `dw`, which is nil without it.
            DepthwiseConv.backward(g, input: x ?? dy, outputGrad: dy, weight: w, inputGrad: dx, weightGrad: dw, biasGrad: db)
            return
        }
        if let db { biasGradient(batch: g.batch, channels: g.outChannels, plane: g.outPlane, outputGrad: dy, biasGrad: db) }
        if g.batch == 0 {
            dw?.update(repeating: 0, count: g.outChannels * g.columnRows)
            return
        }
        if dx == nil && dw == nil { return }
        let groups = g.groups, coutG = g.outChannelsPerGroup, k = g.columnRows, outPlane = g.outPlane
        let outImage = g.outChannels * outPlane, batched = outPlane < batchedBelow
        if g.isPointwise && !batched {
            let inImage = g.imageChannels * g.imagePlane
            for n in 0..<g.batch {
                for grp in 0..<groups {
                    let dyGroup = dy + n * outImage + grp * coutG * outPlane
                    if let dx, let w {
                        BLAS.sgemm(transA: true, transB: false, m: k, n: outPlane, k: coutG,
                                   a: w + grp * g.weightGroupSize, lda: k, b: dyGroup, ldb: outPlane,
                                   c: dx + n * inImage + grp * k * outPlane, ldc: outPlane)
                    }
                    if let dw, let x {
                        BLAS.sgemm(transA: false, transB: true, m: coutG, n: k, k: outPlane, a: dyGroup, lda: outPlane,
                                   b: x + n * inImage + grp * k * outPlane, ldb: outPlane,
                                   beta: n == 0 ? 0 : 1, c: dw + grp * g.weightGroupSize, ldc: k)
                    }
                }
            }
            return
        }
        // The gradients of one tile, with GEMMs on `threads` threads (inside a thread's own
        // share, one; its copies and folds then run on that thread, as every parallel loop
        // inside a part does); the weight gradient goes to `weightTarget`, overwriting it
        // unless `accumulate`.
        func tileGradients(_ tile: Tile, columns: UnsafeMutablePointer<Float>, outputs: UnsafeMutablePointer<Float>?,
                           weightTarget: UnsafeMutablePointer<Float>?, accumulate: Bool, threads: Int) {
            let length = length(g, tile), ld = tile.images * length
            if let outputs {
                transfer(g, tile, channels: g.outChannels, nchw: UnsafeMutablePointer(mutating: dy), matrix: outputs,
                         toNCHW: false)
            }
            // Where image i's group grp of the output gradient is, and its row stride.
            func dyGroup(_ i: Int, _ grp: Int) -> (UnsafePointer<Float>, Int) {
                if let outputs { return (UnsafePointer(outputs + grp * coutG * ld + i * length), ld) }
                return (dy + (tile.first + i) * outImage + grp * coutG * outPlane + tile.y0 * g.outWidth, outPlane)
            }
            // A shared matrix holds all images of the tile in one GEMM.
            let gemms = outputs == nil ? tile.images : 1, width = outputs == nil ? length : ld
            if let weightTarget, let x {
                unfold(g, x, tile, into: columns)
                for i in 0..<gemms {
                    for grp in 0..<groups {
                        let (a, lda) = dyGroup(i, grp)
                        BLAS.sgemm(transA: false, transB: true, m: coutG, n: k, k: width, a: a, lda: lda,
                                   b: columns + grp * k * ld + i * length, ldb: ld,
                                   beta: accumulate || i > 0 ? 1 : 0, c: weightTarget + grp * g.weightGroupSize, ldc: k,
                                   threads: threads)
                    }
                }
            }
            if let dx, let w {
                for i in 0..<gemms {
                    for grp in 0..<groups {
                        let (b, ldb) = dyGroup(i, grp)
                        BLAS.sgemm(transA: true, transB: false, m: k, n: width, k: coutG,
                                   a: w + grp * g.weightGroupSize, lda: k, b: b, ldb: ldb,
                                   c: columns + grp * k * ld + i * length, ldc: ld, threads: threads)
                    }
                }
                fold(g, columns, tile, onto: dx)
            }
        }

        let weightCount = g.outChannels * k
        if BLAS.backend == .avx512, let shares = threadTiles(g, budget: columnBudget, threads: threads) {
            // Each thread takes its own images through every step; thread t > 0 sums its
            // weight gradient apart, and the parts are added in thread order at the end (the
            // same order for the same thread count).
            let all = shares.flatMap { $0 }
            let widest = all.map { $0.images * length(g, $0) }.max() ?? 0
            ScratchPool.withBuffer(dw == nil ? 0 : (shares.count - 1) * weightCount) { parts in
                Parallel.parts(shares.count) { t in
                    ScratchPool.withBuffer(g.imageChannels * g.kernelArea * widest) { columns in
                        ScratchPool.withBuffer(batched ? g.outChannels * widest : 0) { outputs in
                            let target = dw.map { t == 0 ? $0 : parts + (t - 1) * weightCount }
                            for (index, tile) in shares[t].enumerated() {
                                tileGradients(tile, columns: columns, outputs: batched ? outputs : nil, weightTarget: target,
                                              accumulate: index > 0, threads: 1)
                            }
                        }
                    }
                }
                if let dw {
                    for t in 1..<shares.count {
                        FloatVector.add(parts + (t - 1) * weightCount, into: dw, count: weightCount)
                    }
                }
            }
            return
        }
        var firstWeightTile = true
        forEachTile(g, budget: columnBudget, batched: batched) { tile, columns, outputs in
            tileGradients(tile, columns: columns, outputs: outputs, weightTarget: dw, accumulate: !firstWeightTile,
                          threads: threads)
            firstWeightTile = false
        }
    }

    /// `db[c] = Σ over images and positions of dy[n, c]`, for `channels` channels of `plane` each.
    static func biasGradient(batch: Int, channels: Int, plane: Int, outputGrad dy: UnsafePointer<Float>,
                             biasGrad db: UnsafeMutablePointer<Float>) {
        Parallel.chunks(channels, minChunk: max(1, 4096 / max(1, batch * plane))) { start, end in
            for c in start..<end {
                var total: Float = 0
                for n in 0..<batch { total += FloatVector.sum(dy + (n &* channels &+ c) &* plane, count: plane) }
                db[c] = total
            }
        }
    }

    /// Sets every plane of `y` to its channel's bias.
    static func fillBias(batch: Int, channels: Int, plane: Int, _ bias: UnsafePointer<Float>,
                         _ y: UnsafeMutablePointer<Float>) {
        Parallel.planes(batch * channels, elementsPerPlane: plane) { p in
            (y + p &* plane).update(repeating: bias[p % channels], count: plane)
        }
    }

    /// Adds its channel's bias to every plane of `y`.
    static func addBias(batch: Int, channels: Int, plane: Int, _ bias: UnsafePointer<Float>,
                        _ y: UnsafeMutablePointer<Float>) {
        Parallel.planes(batch * channels, elementsPerPlane: plane) { p in
            let b = bias[p % channels], row = y + p &* plane
            for i in 0..<plane { row[i] += b }
        }
    }
}
