/// A refused augmentation setting or an example the augmentation cannot handle.
public struct AugmentationError: Error, CustomStringConvertible, Equatable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
