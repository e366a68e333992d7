extension Tensor {
    /// y = x·Wᵀ + b for x [..., in], W [out, in], b [out]: one sgemm, no transposed copy.
    public func linear(weight: Tensor, bias: Tensor?) throws -> Tensor {
        guard weight.rank == 2, rank >= 1, shape[rank - 1] == weight.shape[1] else {
            throw TensorError.shapeMismatch(op: "linear", lhs: shape, rhs: weight.shape,
                                            detail: "input features (last axis) must equal weight's in_features (axis 1)")
        }
        let nIn = weight.shape[1], nOut = weight.shape[0]
        if let bias, bias.shape != [nOut] {
            throw TensorError.shapeMismatch(op: "linear bias", lhs: [nOut], rhs: bias.shape)
        }
        let rows = count / Swift.max(1, nIn)
        var out = [Float](repeating: 0, count: rows * nOut)
        if let bias {
            out.withUnsafeMutableBufferPointer { o in
                bias.storage.withUnsafeBufferPointer { b in
                    for r in 0..<rows { for j in 0..<nOut { o[r &* nOut &+ j] = b[j] } }
                }
            }
        }
        storage.withUnsafeBufferPointer { px in
            weight.storage.withUnsafeBufferPointer { pw in
                out.withUnsafeMutableBufferPointer { po in
                    BLAS.sgemm(transA: false, transB: true, m: rows, n: nOut, k: nIn,
                               a: px.baseAddress!, lda: nIn, b: pw.baseAddress!, ldb: nIn,
                               beta: bias == nil ? 0 : 1, c: po.baseAddress!, ldc: nOut)
                }
            }
        }
        let x = self
        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return Tensor(unchecked: Array(shape.dropLast()) + [nOut], storage: out).recorded("linear", inputs) { g, _ in
            var gx: Tensor? = nil, gw: Tensor? = nil, gb: Tensor? = nil
            if x.requiresGrad {
                var s = [Float](repeating: 0, count: rows * nIn)
                g.storage.withUnsafeBufferPointer { pg in
                    weight.storage.withUnsafeBufferPointer { pw in
                        s.withUnsafeMutableBufferPointer { ps in
                            BLAS.sgemm(transA: false, transB: false, m: rows, n: nIn, k: nOut,
                                       a: pg.baseAddress!, lda: nOut, b: pw.baseAddress!, ldb: nIn,
                                       c: ps.baseAddress!, ldc: nIn)
                        }
                    }
                }
                gx = Tensor(unchecked: x.shape, storage: s)
            }
            if weight.requiresGrad {
                var s = [Float](repeating: 0, count: nOut * nIn)
                g.storage.withUnsafeBufferPointer { pg in
                    x.storage.withUnsafeBufferPointer { px in
                        s.withUnsafeMutableBufferPointer { ps in
                            BLAS.sgemm(transA: true, transB: false, m: nOut, n: nIn, k: rows,
                                       a: pg.baseAddress!, lda: nOut, b: px.baseAddress!, ldb: nIn,
                                       c: ps.baseAddress!, ldc: nIn)
                        }
                    }
                }
                gw = Tensor(unchecked: weight.shape, storage: s)
            }
            if let bias, bias.requiresGrad {
                gb = Tensor(unchecked: [nOut], storage: Tensor.reduceAxis(g.storage, outer: 1, r: rows, inner: nOut))
            }
            return bias == nil ? [gx, gw] : [gx, gw, gb]
        }
    }
}
