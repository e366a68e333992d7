import Foundation

/// A contiguous, row-major Float32 array with an optional place on the autodiff tape.
///
/// Tensors are reference types so that parameters can be shared between a module, its
/// optimizer and the tape. Ops never mutate their inputs; optimizers update parameters in
/// place through `withUnsafeMutableBufferPointer`.
public final class Tensor {
    /// Dimensions, outermost first (NCHW for images).
    public let shape: [Int]
    /// The elements in row-major order.
    public var storage: [Float]
    /// Whether gradients flow to this tensor. Parameters set it; ops inherit it.
    public var requiresGrad: Bool
    /// The accumulated gradient of a leaf that requires grad, after `backward()`.
    public var grad: Tensor?
    /// How this tensor was computed, when it was recorded on the tape.
    var gradFn: GradFn?

    /// Wraps existing storage; throws if the count does not match the shape.
    public init(shape: [Int], storage: [Float], requiresGrad: Bool = false) throws {
        guard let n = Shape.count(shape) else { throw TensorError.invalidShape(shape) }
        guard n == storage.count else {
            throw TensorError.shapeMismatch(op: "Tensor.init", lhs: shape, rhs: [storage.count],
                                            detail: "shape holds \(n) elements but \(storage.count) were given")
        }
        self.shape = shape
        self.storage = storage
        self.requiresGrad = requiresGrad
    }

    /// Internal fast path: the caller guarantees the count matches.
    init(unchecked shape: [Int], storage: [Float]) {
        self.shape = shape
        self.storage = storage
        self.requiresGrad = false
    }

    /// A tensor filled with one value.
    public convenience init(repeating value: Float, shape: [Int]) throws {
        guard let n = Shape.count(shape) else { throw TensorError.invalidShape(shape) }
        self.init(unchecked: shape, storage: [Float](repeating: value, count: n))
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) throws -> Tensor { try Tensor(repeating: 0, shape: shape) }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) throws -> Tensor { try Tensor(repeating: 1, shape: shape) }

    /// A 0-d tensor holding one value.
    public static func scalar(_ v: Float) -> Tensor { Tensor(unchecked: [], storage: [v]) }

    /// Number of elements.
    public var count: Int { storage.count }
    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// The single value of a one-element tensor.
    public func item() throws -> Float {
        guard storage.count == 1 else {
            throw TensorError.invalidArgument(op: "item", message: "tensor of shape \(shape) has \(storage.count) elements, not 1")
        }
        return storage[0]
    }

    /// A copy that is not on the tape and does not require grad.
    public func detached() -> Tensor { Tensor(unchecked: shape, storage: storage) }

    /// Whether this tensor was produced by a recorded op.
    public var isOnTape: Bool { gradFn != nil }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let head = storage.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(head)\(storage.count > 8 ? ", …" : "")])"
    }
}
