/// The contents of a safetensors file: its tensors by name and its metadata.
public struct SafeTensorsFile: Sendable {
    /// The file as the caller named it, for error messages.
    public let path: String
    public let entries: [String: SafeTensorsEntry]
    /// The free-form `__metadata__` map (empty when absent).
    public let metadata: [String: String]

    public init(path: String, entries: [String: SafeTensorsEntry], metadata: [String: String]) {
        self.path = path
        self.entries = entries
        self.metadata = metadata
    }

    /// Tensor names, sorted by their UTF-8 bytes.
    public var names: [String] { entries.keys.sorted(by: SafeTensors.nameOrder) }

    /// The named tensor as a Float32 `Tensor`; throws naming the file and tensor when absent.
    public func tensor(_ name: String) throws -> Tensor {
        guard let entry = entries[name] else {
            throw SafeTensorsError(.missingTensor, path: path, tensor: name,
                                   "not in the file, which holds \(entries.count) tensors")
        }
        return try Tensor(shape: entry.shape, storage: entry.values)
    }
}
