/// A problem with a safetensors file: names the file, the tensor when there is one, and the
/// numbers that disagree.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, so that callers and tests can branch without parsing the message.
    public enum Kind: Sendable, Equatable {
        /// The file could not be opened, read, written or renamed.
        case io
        /// The 8-byte length prefix is missing, too large, or points past the end of the file.
        case headerLength
        /// The header is not valid UTF-8 JSON.
        case headerSyntax
        /// The header is JSON but not of the expected shape (object of tensor entries).
        case headerSchema
        /// A tensor declares a dtype outside `SafeTensorsDType`.
        case unknownDType
        /// A tensor's shape has a negative entry, or its element or byte count overflows.
        case invalidShape
        /// A tensor's data offsets are reversed, out of range, or of the wrong length.
        case invalidOffsets
        /// Two tensors claim some of the same bytes.
        case overlap
        /// Bytes of the data section belong to no tensor.
        case uncoveredBytes
        /// A requested tensor is not in the file.
        case missingTensor
        /// Entries handed to `write` cannot be stored.
        case unwritable
    }

    public let kind: Kind
    /// The file as the caller named it.
    public let path: String
    /// The tensor concerned, if any.
    public let tensor: String?
    /// What is wrong, with the numbers involved.
    public let message: String

    public init(_ kind: Kind, path: String, tensor: String? = nil, _ message: String) {
        self.kind = kind
        self.path = path
        self.tensor = tensor
        self.message = message
    }

    public var description: String {
        if let tensor { return "\(path): tensor '\(tensor)': \(message)" }
        return "\(path): \(message)"
    }
}
