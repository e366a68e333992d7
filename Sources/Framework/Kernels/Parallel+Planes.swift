extension Parallel {
    /// Runs `body(p)` for planes `0..<count` of an NCHW tensor in parallel chunks, keeping
    /// small planes together so that each chunk has at least a few thousand elements of work.
    @inline(__always)
    static func planes(_ count: Int, elementsPerPlane: Int, _ body: (Int) -> Void) {
        chunks(count, minChunk: max(1, 8192 / max(1, elementsPerPlane))) { start, end in
            for p in start..<end { body(p) }
        }
    }
}
