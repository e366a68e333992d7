/// RoIAlign: average of bilinear samples over a grid in each bin of each box (torchvision's
/// `roi_align`, CPU semantics).
extension Tensor {
    /// Pools each box of an [N, C, H, W] feature map into [K, C, oh, ow].
    ///
    /// `boxes` is [K, 5]: batch index, then x1, y1, x2, y2 in input-image coordinates, which
    /// `spatialScale` maps onto the feature map. Each of the oh × ow bins averages a grid of
    /// bilinear samples: `samplingRatio` per side, or, when it is ≤ 0, ceil(box side / bins).
    /// With `aligned` false (torchvision's default) there is no half-pixel offset and boxes
    /// smaller than one cell are grown to one cell; with `aligned` true coordinates shift by
    /// −0.5. Samples more than one cell outside the map contribute 0 (but still count in the
    /// average); samples within that margin are clamped to the border. Gradients flow to the
    /// feature map, not to the boxes.
    public func roiAlign(boxes: Tensor, outputSize: (Int, Int), spatialScale: Float, samplingRatio: Int = -1,
                         aligned: Bool = false) throws -> Tensor {
        let op = "roiAlign"
        guard rank == 4 else {
            throw TensorError.invalidArgument(op: op, message: "features must be [N, C, H, W], got shape \(shape)")
        }
        guard boxes.rank == 2, boxes.shape[1] == 5 else {
            throw TensorError.shapeMismatch(op: op, lhs: shape, rhs: boxes.shape,
                                            detail: "boxes must be [K, 5] (batch index, x1, y1, x2, y2)")
        }
        let (oh, ow) = outputSize
        guard oh > 0, ow > 0, Double(oh) * Double(ow) <= Double(RoIGeometry.maxSamples) else {
            throw TensorError.invalidArgument(op: op, message: "output size must be positive and at most \(RoIGeometry.maxSamples) bins, got (\(oh), \(ow))")
        }
        guard spatialScale.isFinite, spatialScale > 0 else {
            throw TensorError.invalidArgument(op: op, message: "spatial scale must be positive and finite, got \(spatialScale)")
        }
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        guard h * w <= Int(Int32.max) else {
            throw TensorError.invalidArgument(op: op, message: "feature plane \(h)×\(w) is too large")
        }
        let rois = try (0..<boxes.shape[0]).map { r in
            try RoIGeometry(boxes.storage[(r * 5)..<(r * 5 + 5)], row: r, batchSize: n, scale: spatialScale,
                            bins: (oh, ow), samplingRatio: samplingRatio, aligned: aligned)
        }
        let k = rois.count, plane = h * w, bins = oh * ow
        var out = [Float](repeating: 0, count: k * c * bins)
        if plane > 0 {
            storage.withUnsafeBufferPointer { px in
                out.withUnsafeMutableBufferPointer { po in
                    Parallel.chunks(k) { r0, r1 in
                        var taps = RoITaps()
                        for r in r0..<r1 {
                            let roi = rois[r]
                            taps.build(roi, height: h, width: w)
                            taps.withPointers { cell, weight, start in
                                for ch in 0..<c {
                                    let src = px.baseAddress! + (roi.batch * c + ch) * plane
                                    let dst = po.baseAddress! + (r * c + ch) * bins
                                    for bin in 0..<bins {
                                        var s: Float = 0
                                        for i in start[bin]..<start[bin &+ 1] { s += weight[i] * src[Int(cell[i])] }
                                        dst[bin] = s
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let inShape = shape
        return Tensor(unchecked: [k, c, oh, ow], storage: out).recorded(op, [self]) { g, _ in
            var dx = [Float](repeating: 0, count: n * c * plane)
            guard plane > 0 else { return [Tensor(unchecked: inShape, storage: dx)] }
            g.storage.withUnsafeBufferPointer { pg in
                dx.withUnsafeMutableBufferPointer { pd in
                    // Boxes of one image overlap, so split by channel: each chunk owns its planes.
                    Parallel.chunks(c) { c0, c1 in
                        var taps = RoITaps()
                        for (r, roi) in rois.enumerated() {
                            taps.build(roi, height: h, width: w)
                            taps.withPointers { cell, weight, start in
                                for ch in c0..<c1 {
                                    let dst = pd.baseAddress! + (roi.batch * c + ch) * plane
                                    let src = pg.baseAddress! + (r * c + ch) * bins
                                    for bin in 0..<bins {
                                        let gv = src[bin]
                                        for i in start[bin]..<start[bin &+ 1] { dst[Int(cell[i])] += weight[i] * gv }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return [Tensor(unchecked: inShape, storage: dx)]
        }
    }
}

/// One box mapped onto the feature map: its bins and sampling grid.
private struct RoIGeometry {
    let batch: Int
    let startY: Float, startX: Float
    let binH: Float, binW: Float
    let bins: (Int, Int)
    let gridH: Int, gridW: Int

    /// Largest number of samples one box may take (bins × grid), to bound work and memory.
    static let maxSamples = 1 << 22

    init(_ row: ArraySlice<Float>, row r: Int, batchSize: Int, scale: Float, bins: (Int, Int),
         samplingRatio: Int, aligned: Bool) throws {
        let v = Array(row)
        guard v[0] == v[0].rounded(), v[0] >= 0, v[0] < Float(batchSize) else {
            throw TensorError.invalidArgument(op: "roiAlign", message: "box \(r): batch index \(v[0]) is not an integer in 0..<\(batchSize)")
        }
        guard v[1...].allSatisfy({ $0.isFinite }) else {
            throw TensorError.invalidArgument(op: "roiAlign", message: "box \(r): coordinates \(Array(v[1...])) are not finite")
        }
        let offset: Float = aligned ? 0.5 : 0
        let x1 = v[1] * scale - offset, y1 = v[2] * scale - offset
        var width = v[3] * scale - offset - x1, height = v[4] * scale - offset - y1
        if !aligned {
            width = Swift.max(width, 1)
            height = Swift.max(height, 1)
        }
        guard width.isFinite, height.isFinite else {
            throw TensorError.invalidArgument(op: "roiAlign", message: "box \(r): \(Array(v[1...])) × scale \(scale) overflows")
        }
        batch = Int(v[0])
        startY = y1
        startX = x1
        self.bins = bins
        binH = height / Float(bins.0)
        binW = width / Float(bins.1)
        // An adaptive grid of ceil(side / bins); a box of non-positive size takes no samples.
        func grid(_ side: Float, _ count: Int) -> Int {
            samplingRatio > 0 ? samplingRatio : Swift.max(0, Int(Swift.min((side / Float(count)).rounded(.up), Float(Self.maxSamples))))
        }
        gridH = grid(height, bins.0)
        gridW = grid(width, bins.1)
        guard Double(gridH) * Double(gridW) * Double(bins.0) * Double(bins.1) <= Double(Self.maxSamples) else {
            throw TensorError.invalidArgument(op: "roiAlign", message: "box \(r) \(Array(v[1...])) needs \(gridH)×\(gridW) samples in each of \(bins.0)×\(bins.1) bins, more than \(Self.maxSamples) in all")
        }
    }

    /// Calls `visit(bin, cell, weight)` for the four bilinear taps of every sample, bin by
    /// bin; samples more than one cell outside the map have no taps.
    @inline(__always)
    func forEachTap(height: Int, width: Int, _ visit: (Int, Int, Float) -> Void) {
        let fh = Float(height), fw = Float(width)
        for ph in 0..<bins.0 {
            for pw in 0..<bins.1 {
                let bin = ph * bins.1 + pw
                for iy in 0..<gridH {
                    let y = startY + Float(ph) * binH + (Float(iy) + 0.5) * binH / Float(gridH)
                    for ix in 0..<gridW {
                        let x = startX + Float(pw) * binW + (Float(ix) + 0.5) * binW / Float(gridW)
                        // Written as "not inside" so that NaN positions are skipped too.
                        guard y >= -1, y <= fh, x >= -1, x <= fw else { continue }
                        let (y0, y1, ly) = Self.corners(y, height)
                        let (x0, x1, lx) = Self.corners(x, width)
                        let hy = 1 - ly, hx = 1 - lx
                        visit(bin, y0 * width + x0, hy * hx)
                        visit(bin, y0 * width + x1, hy * lx)
                        visit(bin, y1 * width + x0, ly * hx)
                        visit(bin, y1 * width + x1, ly * lx)
                    }
                }
            }
        }
    }

    /// The two neighbouring cells of a coordinate and the weight of the upper one, with
    /// positions in [−1, 0] clamped to 0 and positions at or past the last cell pinned to it.
    @inline(__always)
    static func corners(_ v: Float, _ size: Int) -> (Int, Int, Float) {
        let p = Swift.max(v, 0)
        let low = Int(p)
        if low >= size - 1 { return (size - 1, size - 1, 0) }
        return (low, low + 1, p - Float(low))
    }
}

/// The pooling weights of one box: for each bin, the distinct cells it reads and their
/// weights, with the 1 / (samples per bin) average folded in.
///
/// Neighbouring samples share cells, so merging their taps leaves about a quarter as many
/// reads (forward) and read-modify-writes (backward) per channel.
private struct RoITaps {
    var cell: [Int32] = []
    var weight: [Float] = []
    /// Taps of bin b are start[b]..<start[b + 1].
    var start: [Int] = []
    /// For each cell of the plane, its tap in the current bin, or −1.
    var slot: [Int32] = []

    mutating func build(_ roi: RoIGeometry, height: Int, width: Int) {
        cell.removeAll(keepingCapacity: true)
        weight.removeAll(keepingCapacity: true)
        start.removeAll(keepingCapacity: true)
        start.append(0)
        if slot.count != height * width { slot = [Int32](repeating: -1, count: height * width) }
        let scale = 1 / Float(Swift.max(roi.gridH * roi.gridW, 1))
        var bin = 0
        roi.forEachTap(height: height, width: width) { b, index, w in
            while bin < b { closeBin(&bin) }
            guard w != 0 else { return }
            let j = Int(slot[index])
            if j >= 0 {
                weight[j] += w * scale
            } else {
                slot[index] = Int32(cell.count)
                cell.append(Int32(index))
                weight.append(w * scale)
            }
        }
        while start.count <= roi.bins.0 * roi.bins.1 { closeBin(&bin) }
    }

    /// Ends the current bin: records where the next one starts and clears the slots used.
    private mutating func closeBin(_ bin: inout Int) {
        for j in start[bin]..<cell.count { slot[Int(cell[j])] = -1 }
        start.append(cell.count)
        bin += 1
    }

    func withPointers(_ body: (UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Float>, UnsafeBufferPointer<Int>) -> Void) {
        cell.withUnsafeBufferPointer { c in
            weight.withUnsafeBufferPointer { w in
                start.withUnsafeBufferPointer { s in body(c, w, s) }
            }
        }
    }
}
