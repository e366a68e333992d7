extension Tensor {
    /// Matrix product through OpenBLAS sgemm.
    ///
    /// `[m, k] × [k, n] → [m, n]`; with more leading dimensions it is a batched product,
    /// and a 2-D operand broadcasts over the other's batch (`[b, m, k] × [k, n]`).
    public func matmul(_ other: Tensor) throws -> Tensor {
        let a = self, b = other
        guard a.rank >= 2, b.rank >= 2 else {
            throw TensorError.shapeMismatch(op: "matmul", lhs: a.shape, rhs: b.shape, detail: "both operands need rank ≥ 2")
        }
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1]
        let k2 = b.shape[b.rank - 2], n = b.shape[b.rank - 1]
        guard k == k2 else {
            throw TensorError.shapeMismatch(op: "matmul", lhs: a.shape, rhs: b.shape,
                                            detail: "inner dimensions \(k) and \(k2) differ")
        }
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        let batch: [Int]
        if batchA == batchB { batch = batchA }
        else if batchB.isEmpty { batch = batchA }
        else if batchA.isEmpty { batch = batchB }
        else {
            throw TensorError.shapeMismatch(op: "matmul", lhs: a.shape, rhs: b.shape,
                                            detail: "batch dimensions must be equal or one operand must be 2-D")
        }
        let nb = Shape.count(batch)!
        let strideA = batchA.isEmpty ? 0 : m * k
        let strideB = batchB.isEmpty ? 0 : k * n
        var out = [Float](repeating: 0, count: nb * m * n)
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    if strideB == 0 && nb > 1 {
                        // [b, m, k] × [k, n] is one GEMM of [(b·m), k] × [k, n].
                        BLAS.sgemm(transA: false, transB: false, m: nb * m, n: n, k: k,
                                   a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n,
                                   c: po.baseAddress!, ldc: n)
                    } else {
                        for i in 0..<nb {
                            BLAS.sgemm(transA: false, transB: false, m: m, n: n, k: k,
                                       a: pa.baseAddress! + i * strideA, lda: k,
                                       b: pb.baseAddress! + i * strideB, ldb: n,
                                       c: po.baseAddress! + i * m * n, ldc: n)
                        }
                    }
                }
            }
        }
        return Tensor(unchecked: batch + [m, n], storage: out).recorded("matmul", [a, b]) { g, _ in
            var ga: Tensor? = nil, gb: Tensor? = nil
            if a.requiresGrad {
                ga = try Tensor.matmulRaw(g, b, transA: false, transB: true, m: m, n: k, k: n,
                                          nb: nb, strideA: m * n, strideB: strideB, outBatch: batchA.isEmpty ? [] : batch,
                                          reduceBatch: batchA.isEmpty)
            }
            if b.requiresGrad {
                gb = try Tensor.matmulRaw(a, g, transA: true, transB: false, m: k, n: n, k: m,
                                          nb: nb, strideA: strideA, strideB: m * n, outBatch: batchB.isEmpty ? [] : batch,
                                          reduceBatch: batchB.isEmpty)
            }
            return [ga, gb]
        }
    }

    /// Batched op(A)·op(B) where op(A) is m×k and op(B) is k×n; with `reduceBatch` the
    /// batch results are summed (the gradient of a broadcast 2-D operand).
    static func matmulRaw(_ a: Tensor, _ b: Tensor, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                          nb: Int, strideA: Int, strideB: Int, outBatch: [Int], reduceBatch: Bool) throws -> Tensor {
        let outCount = (reduceBatch ? 1 : nb) * m * n
        var out = [Float](repeating: 0, count: outCount)
        let lda = transA ? m : k
        let ldb = transB ? k : n
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    for i in 0..<nb {
                        BLAS.sgemm(transA: transA, transB: transB, m: m, n: n, k: k,
                                   a: pa.baseAddress! + i * strideA, lda: lda,
                                   b: pb.baseAddress! + i * strideB, ldb: ldb,
                                   beta: reduceBatch && i > 0 ? 1 : 0,
                                   c: po.baseAddress! + (reduceBatch ? 0 : i * m * n), ldc: n)
                    }
                }
            }
        }
        return Tensor(unchecked: outBatch + [m, n], storage: out)
    }
}
