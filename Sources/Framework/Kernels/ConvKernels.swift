/// The three products of a 2-D convolution — forward, data gradient, weight gradient — on
/// raw NCHW buffers, each choosing the fastest of three algorithms for its geometry:
///
/// - **pointwise** (1×1, stride 1, no padding): the image already is the column matrix, so
///   each image and group is one GEMM;
/// - **depthwise** (one image channel per output channel): direct kernels (`DepthwiseConv`);
/// - otherwise **im2col**: unfold a tile (a few whole images, or a band of output rows of a
///   large one) in parallel, then one GEMM per image and group. The column buffer holds one
///   tile and comes from `ScratchPool`.
///
/// The unfolding, folding and depthwise loops run on `Parallel.chunks`; GEMMs run outside it,
/// on OpenBLAS's own threads, so the two never oversubscribe the cores.
enum ConvKernels {
    /// Upper bound on one column buffer (floats): large enough that a tile holds a few small
    /// images, small enough to stay in the last-level cache.
    static let defaultColumnBudget = 1 << 21

    /// A unit of im2col work: `images` whole images from `first`, or output rows `y0..<y1`
    /// of the single image `first`.
    struct Tile {
        var first: Int
        var images: Int
        var y0: Int
        var y1: Int
    }

    /// Splits the batch into tiles whose column matrices fit in `budget` floats.
    static func tiles(_ g: ConvGeometry, budget: Int = defaultColumnBudget) -> [Tile] {
        let perRow = g.imageChannels * g.kernelArea * g.outWidth
        let perImage = g.columnsPerImage
        var result: [Tile] = []
        if perImage <= budget {
            let chunk = max(1, budget / max(1, perImage))
            for first in stride(from: 0, to: g.batch, by: chunk) {
                result.append(Tile(first: first, images: min(chunk, g.batch - first), y0: 0, y1: g.outHeight))
            }
        } else {
            let rows = max(1, budget / max(1, perRow))
            for n in 0..<g.batch {
                for y0 in stride(from: 0, to: g.outHeight, by: rows) {
                    result.append(Tile(first: n, images: 1, y0: y0, y1: min(g.outHeight, y0 + rows)))
                }
            }
        }
        return result
    }

    /// Floats of the largest tile's column matrices.
    static func columnCount(_ g: ConvGeometry, _ tiles: [Tile]) -> Int {
        tiles.map { $0.images * g.imageChannels * g.kernelArea * ($0.y1 - $0.y0) * g.outWidth }.max() ?? 0
    }

    /// Unfolds a tile into `columns`: per image, per channel, `kh·kw` rows of the tile's
    /// output positions.
    static func unfold(_ g: ConvGeometry, _ x: UnsafePointer<Float>, _ tile: Tile, into columns: UnsafeMutablePointer<Float>) {
        let cin = g.imageChannels, plane = g.imagePlane
        let rows = g.kernelArea * (tile.y1 - tile.y0) * g.outWidth
        Parallel.chunks(tile.images * cin) { start, end in
            for item in start..<end {
                Im2Col.unfold(g, plane: x + (tile.first &* cin &+ item) &* plane, rows: columns + item &* rows,
                              y0: tile.y0, y1: tile.y1)
            }
        }
    }

    /// Runs `body(tile, columns)` for every tile with one reused column buffer.
    static func forEachTile(_ g: ConvGeometry, budget: Int, _ body: (Tile, UnsafeMutablePointer<Float>) -> Void) {
        let all = tiles(g, budget: budget)
        ScratchPool.withBuffer(columnCount(g, all)) { columns in
            for tile in all { body(tile, columns) }
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
        forEachTile(g, budget: columnBudget) { tile, columns in
            unfold(g, x, tile, into: columns)
            let length = (tile.y1 - tile.y0) * g.outWidth, perImage = g.imageChannels * g.kernelArea * length
            for i in 0..<tile.images {
                for grp in 0..<groups {
                    BLAS.sgemm(transA: false, transB: false, m: coutG, n: length, k: k,
                               a: w + grp * g.weightGroupSize, lda: k,
                               b: columns + i * perImage + grp * k * length, ldb: length, beta: beta,
                               c: y + (tile.first + i) * outImage + grp * coutG * outPlane + tile.y0 * g.outWidth,
                               ldc: outPlane)
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
        let cin = g.imageChannels, plane = g.imagePlane
        forEachTile(g, budget: columnBudget) { tile, columns in
            let length = (tile.y1 - tile.y0) * g.outWidth, perImage = cin * g.kernelArea * length
            for i in 0..<tile.images {
                for grp in 0..<groups {
                    BLAS.sgemm(transA: true, transB: false, m: k, n: length, k: coutG,
                               a: w + grp * g.weightGroupSize, lda: k,
                               b: dy + (tile.first + i) * outImage + grp * coutG * outPlane + tile.y0 * g.outWidth,
                               ldb: outPlane, c: columns + i * perImage + grp * k * length, ldc: length)
                }
            }
            let rows = g.kernelArea * length
            Parallel.chunks(tile.images * cin) { start, end in
                for item in start..<end {
                    let target = dx + (tile.first &* cin &+ item) &* plane
                    // Bands of one image add onto the same planes; the first band clears them.
                    if tile.y0 == 0 { target.update(repeating: 0, count: plane) }
                    Im2Col.fold(g, rows: columns + item &* rows, plane: target, y0: tile.y0, y1: tile.y1)
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
        var first = true
        forEachTile(g, budget: columnBudget) { tile, columns in
            unfold(g, x, tile, into: columns)
            let length = (tile.y1 - tile.y0) * g.outWidth, perImage = g.imageChannels * g.kernelArea * length
            for i in 0..<tile.images {
                for grp in 0..<groups {
                    BLAS.sgemm(transA: false, transB: true, m: coutG, n: k, k: length,
                               a: dy + (tile.first + i) * outImage + grp * coutG * outPlane + tile.y0 * g.outWidth,
                               lda: outPlane, b: columns + i * perImage + grp * k * length, ldb: length,
                               beta: first ? 0 : 1, c: dw + grp * g.weightGroupSize, ldc: k)
                }
                first = false
            }
        }
    }

    /// The requested gradients of a convolution (nil pointers are skipped): `dx` as
    /// `backwardData`, `dw` as `backwardWeight`, `db` as `biasGradient`. Depthwise geometries
    /// compute all three in one pass over the output gradient.
    static func backward(_ g: ConvGeometry, input x: UnsafePointer<Float>, outputGrad dy: UnsafePointer<Float>,
                         weight w: UnsafePointer<Float>, inputGrad dx: UnsafeMutablePointer<Float>?,
                         weightGrad dw: UnsafeMutablePointer<Float>?, biasGrad db: UnsafeMutablePointer<Float>?) {
        if g.isDepthwise && g.batch > 0 {
            DepthwiseConv.backward(g, input: x, outputGrad: dy, weight: w, inputGrad: dx, weightGrad: dw, biasGrad: db)
            return
        }
        if let dx { backwardData(g, outputGrad: dy, weight: w, inputGrad: dx) }
        if let dw { backwardWeight(g, input: x, outputGrad: dy, weightGrad: dw) }
        if let db { biasGradient(batch: g.batch, channels: g.outChannels, plane: g.outPlane, outputGrad: dy, biasGrad: db) }
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
