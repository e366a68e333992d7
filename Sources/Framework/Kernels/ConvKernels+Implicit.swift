import AVX512Kernels

extension ConvKernels {
    /// `forwardProducts` without a column matrix, on the AVX-512 GEMM: each tile's input
    /// windows are zero-padded once, and the GEMM packs its B panels straight from them
    /// (`AVX512Im2Col`). Same tiles, same shared GEMMs for small planes, same epilogue.
    /// Returns false, having done nothing, where it does not apply (another GEMM backend,
    /// or a 1×1 convolution, whose input already is its column matrix).
    static func forwardImplicit(_ g: ConvGeometry, input x: UnsafePointer<Float>, weight w: UnsafePointer<Float>,
                                bias: UnsafePointer<Float>?, output y: UnsafeMutablePointer<Float>, epilogue: Epilogue,
                                columnBudget: Int, batchedBelow: Int) -> Bool {
        #if arch(x86_64)
        guard BLAS.backend == .avx512, !g.isPointwise, g.columnRows > 0, g.batch > 0 else { return false }
        let groups = g.groups, coutG = g.outChannelsPerGroup, k = g.columnRows, cin = g.imageChannels
        let outPlane = g.outPlane, outImage = g.outChannels * outPlane, batched = outPlane < batchedBelow
        if let bias, !batched { fillBias(batch: g.batch, channels: g.outChannels, plane: outPlane, bias, y) }
        let beta: Float = bias == nil ? 0 : 1
        let all = tiles(g, budget: columnBudget)
        let widest = all.map { $0.images * length(g, $0) }.max() ?? 0
        let paddedMax = all.map { $0.images * cin * Im2Col.Window(g, y0: $0.y0, y1: $0.y1).count }.max() ?? 0
        ScratchPool.withBuffer(paddedMax) { padded in
            ScratchPool.withBuffer(batched ? g.outChannels * widest : 0) { outputs in
                for tile in all {
                    let window = Im2Col.Window(g, y0: tile.y0, y1: tile.y1)
                    Parallel.chunks(tile.images * cin, minChunk: Swift.max(1, 4096 / Swift.max(1, window.count))) { start, end in
                        for item in start..<end {
                            Im2Col.pad(g, window, plane: x + (tile.first &* cin &+ item) &* g.imagePlane,
                                       into: padded + item &* window.count)
                        }
                    }
                    let length = length(g, tile), ld = tile.images * length
                    func columns(group: Int, image: Int) -> AVX512Im2Col {
                        AVX512Im2Col(padded: padded + (image * cin + group * g.imageChannelsPerGroup) * window.count,
                                     channels: cin, kernelH: g.kernelH, kernelW: g.kernelW,
                                     strideH: g.strideH, strideW: g.strideW, dilationH: g.dilationH, dilationW: g.dilationW,
                                     windowWidth: window.width, windowCount: window.count,
                                     outWidth: g.outWidth, length: length)
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
