/// A view of some examples of another dataset, in the given order (a split's part).
public struct DatasetSubset: Dataset {
    public let base: any Dataset
    public let indices: [Int]

    /// Throws if an index is outside the base dataset.
    public init(_ base: any Dataset, indices: [Int]) throws {
        if let bad = indices.first(where: { $0 < 0 || $0 >= base.count }) {
            throw DataError.invalidSplit("index \(bad) outside a dataset of \(base.count) examples")
        }
        self.base = base
        self.indices = indices
    }

    public var count: Int { indices.count }
    public func id(at index: Int) -> String { base.id(at: indices[index]) }
    public func example(at index: Int) throws -> Example { try base.example(at: indices[index]) }
}
