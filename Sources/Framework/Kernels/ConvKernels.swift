/// The three products of a 2-D convolution — forward, data gradient, weight gradient — on
/// raw NCHW buffers, each choosing the fastest of three algorithms for its geometry:
///
/// - **pointwise** (1×1, stride 1, no padding): the image already is the column matrix, so
///   each image and group is one GEMM;
/// - **depthwise** (one image channel per output channel): direct kernels (`DepthwiseConv`);
/// - otherwise **im2col**: unfold a chunk of images in parallel, then one GEMM per image and
///   group. Column buffers are sized for a chunk and reused across chunks.
///
/// The unfolding, folding and depthwise loops run on `Parallel.chunks`; GEMMs run outside it,
/// on OpenBLAS's own threads, so the two never oversubscribe the cores.
enum ConvKernels {
    /// Upper bound on one column buffer (floats): large enough that a chunk holds a few
    /// images, small enough to stay in the last-level cache.
    static let defaultColumnBudget = 1 << 21

    /// Images unfolded together: as many as fit in `budget` floats, at least one.
    static func imagesPerChunk(_ g: ConvGeometry, budget: Int = defaultColumnBudget) -> Int {
        max(1, min(g.batch, budget / max(1, g.columnsPerImage)))
    }

    /// Unfolds images `first..<first+count` into `columns` (one column matrix per image).
    static func unfold(_ g: ConvGeometry, _ x: UnsafePointer<Float>, first: Int, count: Int,
                       into columns: UnsafeMutablePointer<Float>) {
        let cin = g.imageChannels, plane = g.imagePlane, rows = g.kernelArea * g.outPlane
        Parallel.chunks(count * cin) { start, end in
            for item in start..<end {
                Im2Col.unfold(g, plane: x + (first &* cin &+ item) &* plane, rows: columns + item &* rows)
            }
        }
    }

    /// `y = conv(x, w) (+ bias)`; `y` is `[batch, outChannels, outHeight, outWidth]`.
    static func forward(_ g: ConvGeometry, input x: UnsafePointer<Float>, weight w: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, output y: UnsafeMutablePointer<Float>,
                        columnBudget: Int = defaultColumnBudget) {
        if g.isDepthwise {
            DepthwiseConv.forward(g, input: x, weight: w, bias: bias, output: y)
            return
        }
        // The bias is the GEMM's starting value (beta = 1), saving a pass over the output.
        if let bias { fillBias(batch: g.batch, channels: g.outChannels, plane: g.outPlane, bias, y) }
        let beta: Float = bias == nil ? 0 : 1
        let groups = g.groups, coutG = g.outChannelsPerGroup, k = g.columnRows, outPlane = g.outPlane
        let outImage = g.outChannels * outPlane
        if g.isPointwise {
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
        let chunk = imagesPerChunk(g, budget: columnBudget)
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: chunk * g.columnsPerImage)
        defer { columns.deallocate() }
        for first in stride(from: 0, to: g.batch, by: chunk) {
            let count = min(chunk, g.batch - first)
            unfold(g, x, first: first, count: count, into: columns)
            for i in 0..<count {
                for grp in 0..<groups {
                    BLAS.sgemm(transA: false, transB: false, m: coutG, n: outPlane, k: k,
                               a: w + grp * g.weightGroupSize, lda: k,
                               b: columns + i * g.columnsPerImage + grp * k * outPlane, ldb: outPlane,
                               beta: beta, c: y + (first + i) * outImage + grp * coutG * outPlane, ldc: outPlane)
                }
            }
        }
    }

    /// `dx = conv(·, w)ᵀ·dy`; `dx` is `[batch, imageChannels, height, width]` and is overwritten.
    static func backwardData(_ g: ConvGeometry, outputGrad dy: UnsafePointer<Float>, weight w: UnsafePointer<Float>,
                             inputGrad dx: UnsafeMutablePointer<Float>, columnBudget: Int = defaultColumnBudget) {
        if g.isDepthwise {
            DepthwiseConv.backwardData(g, outputGrad: dy, weight: w, inputGrad: dx)
            return
        }
        let groups = g.groups, coutG = g.outChannelsPerGroup, k = g.columnRows, outPlane = g.outPlane
        let outImage = g.outChannels * outPlane, inImage = g.imageChannels * g.imagePlane
        if g.isPointwise {
            for n in 0..<g.batch {
                for grp in 0..<groups {
                    BLAS.sgemm(transA: true, transB: false, m: k, n: outPlane, k: coutG,
                               a: w + grp * g.weightGroupSize, lda: k,
                               b: dy + n * outImage + grp * coutG * outPlane, ldb: outPlane,
                               c: dx + n * inImage + grp * k * outPlane, ldc: outPlane)
                }
            }
            return
        }
        let chunk = imagesPerChunk(g, budget: columnBudget)
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: chunk * g.columnsPerImage)
        defer { columns.deallocate() }
        let cin = g.imageChannels, plane = g.imagePlane, rows = g.kernelArea * outPlane
        for first in stride(from: 0, to: g.batch, by: chunk) {
            let count = min(chunk, g.batch - first)
            for i in 0..<count {
                for grp in 0..<groups {
                    BLAS.sgemm(transA: true, transB: false, m: k, n: outPlane, k: coutG,
                               a: w + grp * g.weightGroupSize, lda: k,
                               b: dy + (first + i) * outImage + grp * coutG * outPlane, ldb: outPlane,
                               c: columns + i * g.columnsPerImage + grp * k * outPlane, ldc: outPlane)
                }
            }
            Parallel.chunks(count * cin) { start, end in
                for item in start..<end {
                    let target = dx + (first &* cin &+ item) &* plane
                    target.update(repeating: 0, count: plane)
                    Im2Col.fold(g, rows: columns + item &* rows, plane: target)
                }
            }
        }
    }

    /// `dw = Σₙ dy·colᵀ`; `dw` is `[outChannels, imageChannels/groups, kh, kw]`, overwritten.
    static func backwardWeight(_ g: ConvGeometry, input x: UnsafePointer<Float>, outputGrad dy: UnsafePointer<Float>,
                               weightGrad dw: UnsafeMutablePointer<Float>, columnBudget: Int = defaultColumnBudget) {
        if g.batch == 0 {
            dw.update(repeating: 0, count: g.outChannels * g.columnRows)
            return
        }
        if g.isDepthwise {
            DepthwiseConv.backwardWeight(g, input: x, outputGrad: dy, weightGrad: dw)
            return
        }
        let groups = g.groups, coutG = g.outChannelsPerGroup, k = g.columnRows, outPlane = g.outPlane
        let outImage = g.outChannels * outPlane
        if g.isPointwise {
            let inImage = g.imageChannels * g.imagePlane
            for n in 0..<g.batch {
                for grp in 0..<groups {
                    BLAS.sgemm(transA: false, transB: true, m: coutG, n: k, k: outPlane,
                               a: dy + n * outImage + grp * coutG * outPlane, lda: outPlane,
                               b: x + n * inImage + grp * k * outPlane, ldb: outPlane,
                               beta: n == 0 ? 0 : 1, c: dw + grp * g.weightGroupSize, ldc: k)
                }
            }
            return
        }
        let chunk = imagesPerChunk(g, budget: columnBudget)
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: chunk * g.columnsPerImage)
        defer { columns.deallocate() }
        for first in stride(from: 0, to: g.batch, by: chunk) {
            let count = min(chunk, g.batch - first)
            unfold(g, x, first: first, count: count, into: columns)
            for i in 0..<count {
                for grp in 0..<groups {
                    BLAS.sgemm(transA: false, transB: true, m: coutG, n: k, k: outPlane,
                               a: dy + (first + i) * outImage + grp * coutG * outPlane, lda: outPlane,
                               b: columns + i * g.columnsPerImage + grp * k * outPlane, ldb: outPlane,
                               beta: first + i == 0 ? 0 : 1, c: dw + grp * g.weightGroupSize, ldc: k)
                }
            }
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
        Parallel.chunks(batch * channels, minChunk: max(1, 16384 / max(1, plane))) { start, end in
            for item in start..<end {
                (y + item &* plane).update(repeating: bias[item % channels], count: plane)
            }
        }
    }

    /// Adds its channel's bias to every plane of `y`.
    static func addBias(batch: Int, channels: Int, plane: Int, _ bias: UnsafePointer<Float>,
                        _ y: UnsafeMutablePointer<Float>) {
        Parallel.chunks(batch * channels, minChunk: max(1, 16384 / max(1, plane))) { start, end in
            for item in start..<end {
                let b = bias[item % channels], p = y + item &* plane
                for i in 0..<plane { p[i] += b }
            }
        }
    }
}
