/// A data-loading failure, naming the example when one is to blame.
public struct DataLoaderError: Error, CustomStringConvertible, Equatable {
    /// The example's id (`id_str`), when the failure belongs to one example.
    public var exampleID: String?
    /// The example's index in the dataset.
    public var index: Int?
    public var message: String

    public init(exampleID: String? = nil, index: Int? = nil, message: String) {
        self.exampleID = exampleID
        self.index = index
        self.message = message
    }

    public var description: String {
        guard let exampleID else { return "data loader: \(message)" }
        let at = index.map { " (dataset index \($0))" } ?? ""
        return "data loader: example '\(exampleID)'\(at): \(message)"
    }
}
