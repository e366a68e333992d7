extension Tensor {
    /// Standard-normal samples scaled by `std` around `mean`.
    public static func randn(_ shape: [Int], mean: Float = 0, std: Float = 1,
                             using rng: inout RandomGenerator) throws -> Tensor {
        guard let n = Shape.count(shape) else { throw TensorError.invalidShape(shape) }
        var s = [Float](repeating: 0, count: n)
        for i in 0..<n { s[i] = mean + std * rng.normal() }
        return Tensor(unchecked: shape, storage: s)
    }

    /// Uniform samples in [low, high).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                               using rng: inout RandomGenerator) throws -> Tensor {
        guard let n = Shape.count(shape) else { throw TensorError.invalidShape(shape) }
        var s = [Float](repeating: 0, count: n)
        for i in 0..<n { s[i] = low + (high - low) * rng.uniform() }
        return Tensor(unchecked: shape, storage: s)
    }
}
