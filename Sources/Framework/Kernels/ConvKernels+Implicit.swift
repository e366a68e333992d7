import AVX512Kernels

extension ConvKernels {
    /// `forwardProducts` without a column matrix, on the AVX-512 GEMM: each tile's input
    /// windows are zero-padded once, and the GEMM packs its B panels straight from them
    /// (`AVX512Im2Col`). Same tiles, same shared GEMMs for small planes, same epilogue.
    /// A 1×1 convolution's column matrix is its input: on small planes (shared GEMMs) the
    /// panels are packed from the input itself, with no padded copy. Returns false, having
    /// done nothing, where this does not apply (another GEMM backend, or a 1×1 convolution
    /// on planes large enough for a GEMM per image straight on the input).
    static func forwardImplicit(_ g: ConvGeometry, input x: UnsafePointer<Float>, weight w: UnsafePointer<Float>,
                                bias: UnsafePointer<Float>?, output y: UnsafeMutablePointer<Float>, epilogue: Epilogue,
                                columnBudget: Int, batchedBelow: Int) -> Bool {
        #if arch(x86_64)
        let outPlane = g.outPlane, batched = outPlane < batchedBelow
        guard BLAS.backend == .avx512, !g.isPointwise || batched, g.columnRows > 0, g.batch > 0 else { return false }
        let groups = g.groups, coutG = g.outChannelsPerGroup, k = g.columnRows, cin = g.imageChannels
        let outImage = g.outChannels * outPlane, direct = g.isPointwise
        if let bias, !batched { fillBias(batch: g.batch, channels: g.outChannels, plane: outPlane, bias, y) }
        let beta: Float = bias == nil ? 0 : 1
        let all = tiles(g, budget: columnBudget)
        let widest = all.map { $0.images * length(g, $0) }.max() ?? 0
        let paddedMax = direct ? 0 : all.map { $0.images * cin * Im2Col.Window(g, y0: $0.y0, y1: $0.y1).count }.max() ?? 0
        ScratchPool.withBuffer(paddedMax) { padded in
            ScratchPool.withBuffer(batched ? g.outChannels * widest : 0) { outputs in
                for tile in all {
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
                            AVX512GEMM.sgemm(m: coutG, n: ld, k: k, alpha: 1, a: w + grp * g.weightGroupSize, lda: k,
                                             columns: columns(group: grp, image: 0), beta: 0,
                                             c: outputs + grp * coutG * ld, ldc: ld, threads: Parallel.threads)
                        }
                        transfer(g, tile, channels: g.outChannels, nchw: y, matrix: outputs, toNCHW: true, bias: bias,
                                 epilogue: epilogue)
                    } else {
                        for i in 0..<tile.images {
                            for grp in 0..<groups {
                                AVX512GEMM.sgemm(m: coutG, n: length, k: k, alpha: 1, a: w + grp * g.weightGroupSize, lda: k,
                                                 columns: columns(group: grp, image: i), beta: beta,
                                                 c: y + (tile.first + i) * outImage + grp * coutG * outPlane + tile.y0 * g.outWidth,
                                                 ldc: outPlane, threads: Parallel.threads)
                            }
                        }
                    }
                }
            }
        }
        return true
        #else
        return false
        #endif
    }
}
