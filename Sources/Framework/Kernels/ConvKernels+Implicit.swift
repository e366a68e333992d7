import AVX512Kernels

extension ConvKernels {
    /// `forwardProducts` without a column matrix, on the AVX-512 GEMM: each tile's input
    /// windows are zero-padded once, and the GEMM packs its B panels straight from them
    /// (`AVX512Im2Col`). Same tiles, same shared GEMMs for small planes, same epilogue.
    /// A 1×1 convolution's column matrix is its input: on small planes (shared GEMMs) the
    /// panels are packed from the input itself, with no padded copy. Returns false, having
    /// done nothing, where this does not apply (another GEMM backend, or a 1×1 convolution
    /// on planes large enough for a GEMM per image straight on the input).
    ///
    /// The weights are packed once per call. When the batch has at least one image per
    /// thread, each thread then convolves its own images start to finish (pad,
    /// GEMM, scatter with the epilogue) on one core: three fork-joins per tile cost more
    /// than a tenth of ResNet-18's inference in thread wake-ups, and the cores no longer
    /// wait for each other between the steps. Each output is summed in the same order
    /// either way, so results do not depend on the thread count.
    static func forwardImplicit(_ g: ConvGeometry, input x: UnsafePointer<Float>, weight w: UnsafePointer<Float>,
                                bias: UnsafePointer<Float>?, output y: UnsafeMutablePointer<Float>, epilogue: Epilogue,
                                columnBudget: Int, batchedBelow: Int, threads: Int) -> Bool {
        #if arch(x86_64)
        let outPlane = g.outPlane, batched = outPlane < batchedBelow
        guard BLAS.backend == .avx512, !g.isPointwise || batched, g.columnRows > 0, g.batch > 0 else { return false }
        let groups = g.groups, coutG = g.outChannelsPerGroup, k = g.columnRows, cin = g.imageChannels
        let outImage = g.outChannels * outPlane, direct = g.isPointwise
        if let bias, !batched { fillBias(batch: g.batch, channels: g.outChannels, plane: outPlane, bias, y) }
        let beta: Float = bias == nil ? 0 : 1
        let shares = threadTiles(g, budget: columnBudget, threads: threads)
        let all = shares?.flatMap { $0 } ?? tiles(g, budget: columnBudget)
        let widest = all.map { $0.images * length(g, $0) }.max() ?? 0
        let paddedMax = direct ? 0 : all.map { $0.images * cin * Im2Col.Window(g, y0: $0.y0, y1: $0.y1).count }.max() ?? 0

        // Convolves one tile with the GEMMs on `gemmThreads` threads. Inside a thread's own
        // share it is one, and the padding and scatter run on that thread too (every parallel
        // loop inside a part does).
        func convolve(_ tile: Tile, weights: (Int) -> AVX512GEMM.PackedA, padded: UnsafeMutablePointer<Float>,
                      outputs: UnsafeMutablePointer<Float>, gemmThreads: Int) {
            let length = length(g, tile), ld = tile.images * length
            // A 1×1 convolution reads its input in place: an image's part of the tile
            // (whole planes, or a band of rows) is one contiguous run per channel.
            let window = direct ? nil : Im2Col.Window(g, y0: tile.y0, y1: tile.y1)
            if let window {
                Parallel.chunks(tile.images * cin, minChunk: Swift.max(1, 4096 / Swift.max(1, window.count))) { start, end in
                    for item in start..<end {
                        Im2Col.pad(g, window, plane: x + (tile.first &* cin &+ item) &* g.imagePlane,
                                   into: padded + item &* window.count)
                    }
                }
            }
            let source = window == nil ? x + (tile.first * cin * g.imagePlane + tile.y0 * g.width) : UnsafePointer(padded)
            let windowWidth = window?.width ?? length, windowCount = window?.count ?? g.imagePlane
            func columns(group: Int, image: Int) -> AVX512Im2Col {
                AVX512Im2Col(padded: source + (image * cin + group * g.imageChannelsPerGroup) * windowCount,
                             channels: cin, kernelH: g.kernelH, kernelW: g.kernelW,
                             strideH: g.strideH, strideW: g.strideW, dilationH: g.dilationH, dilationW: g.dilationW,
                             windowWidth: windowWidth, windowCount: windowCount,
                             outWidth: window == nil ? length : g.outWidth, length: length)
            }
            if batched {
                for grp in 0..<groups {
                    AVX512GEMM.sgemm(n: ld, alpha: 1, a: weights(grp), columns: columns(group: grp, image: 0), beta: 0,
                                     c: outputs + grp * coutG * ld, ldc: ld, threads: gemmThreads)
                }
                transfer(g, tile, channels: g.outChannels, nchw: y, matrix: outputs, toNCHW: true, bias: bias,
                         epilogue: epilogue)
            } else {
                for i in 0..<tile.images {
                    for grp in 0..<groups {
                        AVX512GEMM.sgemm(n: length, alpha: 1, a: weights(grp), columns: columns(group: grp, image: i),
                                         beta: beta,
                                         c: y + (tile.first + i) * outImage + grp * coutG * outPlane + tile.y0 * g.outWidth,
                                         ldc: outPlane, threads: gemmThreads)
                    }
                }
            }
        }

        // The weights, packed once for all tiles, images and threads.
        let layout = AVX512GEMM.PackedA(pointer: w, rows: coutG, depth: k)
        ScratchPool.withBuffer(groups * layout.count) { packedWeights in
            func packed(_ group: Int) -> AVX512GEMM.PackedA {
                AVX512GEMM.PackedA(pointer: packedWeights + group * layout.count, rows: coutG, depth: k)
            }
            Parallel.chunks(groups * layout.strips, minChunk: 4) { start, end in
                for grp in start / layout.strips...(end - 1) / layout.strips {
                    let first = Swift.max(start, grp * layout.strips) - grp * layout.strips
                    let last = Swift.min(end, (grp + 1) * layout.strips) - grp * layout.strips
                    AVX512GEMM.packWhole(w + grp * g.weightGroupSize, lda: k, into: packed(grp), strips: first..<last)
                }
            }
            let outputsMax = batched ? g.outChannels * widest : 0
            if let shares {
                Parallel.parts(shares.count) { part in
                    let mine = shares[part]
                    ScratchPool.withBuffer(paddedMax) { padded in
                        ScratchPool.withBuffer(outputsMax) { outputs in
                            for tile in mine { convolve(tile, weights: packed, padded: padded, outputs: outputs, gemmThreads: 1) }
                        }
                    }
                }
                return
            }
            ScratchPool.withBuffer(paddedMax) { padded in
                ScratchPool.withBuffer(outputsMax) { outputs in
                    for tile in all { convolve(tile, weights: packed, padded: padded, outputs: outputs, gemmThreads: threads) }
                }
            }
        }
        return true
        #else
        return false
        #endif
    }

    /// The batch shared out as evenly as possible among `threads` threads, each share cut
    /// into tiles within `budget` as `tiles` cuts the batch (several images, or bands of
    /// one image's rows); nil where a thread would get no image, or there is one thread.
    static func threadTiles(_ g: ConvGeometry, budget: Int, threads: Int) -> [[Tile]]? {
        guard threads > 1, g.batch >= threads else { return nil }
        return (0..<threads).map { part in
            tiles(g, budget: budget, images: (g.batch * part / threads)..<(g.batch * (part + 1) / threads))
        }
    }
}
