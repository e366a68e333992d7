import Foundation
import Framework

/// A Float64 tensor for reference implementations in tests: naive, obviously-correct code
/// that the Float32 engine is checked against, and whose finite differences check the
/// engine's backward passes.
public struct Ref {
    public var shape: [Int]
    public var data: [Double]

    public init(shape: [Int], data: [Double]) {
        precondition(Shape.count(shape)! == data.count, "Ref: \(shape) vs \(data.count)")
        self.shape = shape
        self.data = data
    }

    public init(_ t: Tensor) { self.init(shape: t.shape, data: t.storage.map(Double.init)) }

    public static func zeros(_ shape: [Int]) -> Ref { Ref(shape: shape, data: [Double](repeating: 0, count: Shape.count(shape)!)) }

    public var count: Int { data.count }
    public var strides: [Int] { Shape.strides(shape) }

    /// The element at a multi-index.
    public subscript(_ idx: [Int]) -> Double {
        get { data[zip(idx, strides).reduce(0) { $0 + $1.0 * $1.1 }] }
        set { data[zip(idx, strides).reduce(0) { $0 + $1.0 * $1.1 }] = newValue }
    }

    /// Element-wise map.
    public func map(_ f: (Double) -> Double) -> Ref { Ref(shape: shape, data: data.map(f)) }

    /// All multi-indices of a shape, row-major.
    public static func indices(_ shape: [Int]) -> [[Int]] {
        var result: [[Int]] = []
        let n = Shape.count(shape)!
        result.reserveCapacity(n)
        var idx = [Int](repeating: 0, count: shape.count)
        for _ in 0..<n {
            result.append(idx)
            var d = shape.count - 1
            while d >= 0 {
                idx[d] += 1
                if idx[d] < shape[d] { break }
                idx[d] = 0
                d -= 1
            }
        }
        return result
    }

    /// NumPy-broadcast binary op.
    public static func broadcast(_ a: Ref, _ b: Ref, _ f: (Double, Double) -> Double) -> Ref {
        let out = try! Shape.broadcast(a.shape, b.shape, op: "ref")
        var r = Ref.zeros(out)
        for (i, idx) in indices(out).enumerated() {
            func pick(_ x: Ref) -> Double {
                let pad = out.count - x.shape.count
                return x[(0..<x.shape.count).map { x.shape[$0] == 1 ? 0 : idx[$0 + pad] }]
            }
            r.data[i] = f(pick(a), pick(b))
        }
        return r
    }
}
