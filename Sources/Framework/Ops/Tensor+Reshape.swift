extension Tensor {
    /// The same elements under a new shape; one dimension may be -1 (inferred).
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        var target = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != inferred }.map(\.element)
            guard let k = Shape.count(known), k > 0, count % k == 0 else {
                throw TensorError.shapeMismatch(op: "reshape", lhs: shape, rhs: newShape,
                                                detail: "cannot infer the -1 dimension")
            }
            target[inferred] = count / k
        }
        guard let n = Shape.count(target), n == count else {
            throw TensorError.shapeMismatch(op: "reshape", lhs: shape, rhs: newShape,
                                            detail: "\(count) elements cannot take the new shape")
        }
        let original = shape
        return Tensor(unchecked: target, storage: storage).recorded("reshape", [self]) { g, _ in
            [Tensor(unchecked: original, storage: g.storage)]
        }
    }
}
