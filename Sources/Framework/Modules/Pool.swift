/// Parameter-free spatial layers for `Sequential`: max/average pooling, global average
/// pooling to [N, C], and flattening.
public final class Pool: Module, Layer {
    public enum Kind: Sendable {
        case max(kernel: Int, stride: Int, padding: Int)
        case average(kernel: Int, stride: Int, padding: Int)
        case globalAverage
        case adaptiveAverage(outputSize: Int)
        case flatten
    }

    public let kind: Kind

    public init(_ kind: Kind) {
        self.kind = kind
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        switch kind {
        case let .max(k, s, p): return try x.maxPool2d(kernel: (k, k), stride: (s, s), padding: (p, p))
        case let .average(k, s, p): return try x.avgPool2d(kernel: (k, k), stride: (s, s), padding: (p, p))
        case .globalAverage: return try x.globalAvgPool()
        case let .adaptiveAverage(o): return try x.adaptiveAvgPool2d(outputSize: (o, o))
        case .flatten: return try x.reshaped([x.shape[0], -1])
        }
    }
}
