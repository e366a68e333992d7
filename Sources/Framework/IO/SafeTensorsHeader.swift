/// The validated table of contents of a safetensors file: each tensor's type, shape and bytes.
///
/// A header that exists has passed every check in `SafeTensorsHeader+Decoding.swift`, so its
/// ranges can be read without further bounds arithmetic.
public struct SafeTensorsHeader: Sendable {
    /// One tensor's declaration.
    public struct TensorInfo: Sendable, Equatable {
        public let name: String
        public let dtype: SafeTensorsDType
        public let shape: [Int]
        /// Where the tensor's bytes lie, relative to the start of the data section.
        public let dataRange: Range<Int>

        /// Number of elements (1 for a 0-d tensor).
        public var elementCount: Int { dataRange.count / dtype.byteSize }
    }

    /// The most dimensions a shape may have: NumPy's limit, far above any network's. The
    /// reference implementation has none; this one keeps a hostile 100 MB header of shape
    /// entries from costing gigabytes.
    public static let maxRank = 64

    /// The tensors in the order their bytes appear in the file.
    public let tensors: [TensorInfo]
    /// The free-form `__metadata__` map (empty when absent).
    public let metadata: [String: String]
    /// File offset of the first data byte: 8 + the header length.
    public let dataStart: Int
    /// Bytes in the data section.
    public let dataLength: Int

    /// Tensor names in byte order of their UTF-8, the order `SafeTensors.write` stores them in.
    public var names: [String] { tensors.map(\.name).sorted(by: SafeTensors.nameOrder) }
}
