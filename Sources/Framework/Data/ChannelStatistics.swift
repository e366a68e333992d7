/// Per-channel mean and standard deviation of a dataset's images, over every pixel of the
/// chosen examples (the training split: validation and test pixels must not leak into the
/// normalisation).
public struct ChannelStatistics: Equatable, Sendable {
    public var mean: [Float]
    public var std: [Float]

    /// Decodes the examples at `indices` once and accumulates in Double. The standard
    /// deviation is the unbiased one over all pixels, as `torch.Tensor.std`; a constant
    /// channel gets std 1 so that standardising it cannot divide by zero.
    public static func compute(_ dataset: any Dataset, indices: [Int]) throws -> ChannelStatistics {
        guard let first = indices.first else {
            throw TensorError.invalidArgument(op: "ChannelStatistics", message: "need at least one example; the training split is empty")
        }
        let channels = try dataset.example(at: first).image.channels
        var sum = [Double](repeating: 0, count: channels), squares = sum
        var count = 0.0
        for i in indices {
            let image = try dataset.example(at: i).image
            guard image.channels == channels else {
                throw TensorError.invalidArgument(op: "ChannelStatistics", message: "example '\(dataset.id(at: i))' has \(image.channels) channels, the first training example \(channels)")
            }
            let plane = image.height * image.width
            image.pixels.withUnsafeBufferPointer { p in
                for c in 0..<channels {
                    var s = 0.0, q = 0.0
                    for k in (c * plane)..<((c + 1) * plane) { let v = Double(p[k]); s += v; q += v * v }
                    sum[c] += s
                    squares[c] += q
                }
            }
            count += Double(plane)
        }
        var mean = [Float](), std = [Float]()
        for c in 0..<channels {
            let m = sum[c] / count
            let variance = count > 1 ? max(0, (squares[c] - count * m * m) / (count - 1)) : 0
            mean.append(Float(m))
            std.append(variance > 0 ? Float(variance.squareRoot()) : 1)
        }
        return ChannelStatistics(mean: mean, std: std)
    }
}
