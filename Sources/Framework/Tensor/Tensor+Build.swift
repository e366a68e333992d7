extension Tensor {
    /// A tensor of `shape` whose every element `body` writes, skipping the zero-fill that
    /// `[Float](repeating:count:)` would spend on storage about to be overwritten.
    static func build(_ shape: [Int], _ body: (UnsafeMutablePointer<Float>) -> Void) -> Tensor {
        let n = Shape.count(shape)!
        let storage = [Float](unsafeUninitializedCapacity: n) { buffer, count in
            if n > 0 { body(buffer.baseAddress!) }
            count = n
        }
        return Tensor(unchecked: shape, storage: storage)
    }
}
