/// Two datasets one after the other: indices `0..<first.count` are `first`'s, the rest
/// `second`'s (a split's real galaxies followed by synthetic ones).
public struct ConcatenatedDataset: Dataset {
    public let first: any Dataset
    public let second: any Dataset

    public init(_ first: any Dataset, _ second: any Dataset) {
        self.first = first
        self.second = second
    }

    public var count: Int { first.count + second.count }

    private func locate(_ index: Int) -> (any Dataset, Int) {
        index < first.count ? (first, index) : (second, index - first.count)
    }

    public func id(at index: Int) -> String { let (d, i) = locate(index); return d.id(at: i) }
    public func example(at index: Int) throws -> Example { let (d, i) = locate(index); return try d.example(at: i) }
    public func targets(at index: Int) throws -> (labels: [String: Float], votes: [String: Float]) {
        let (d, i) = locate(index)
        return try d.targets(at: i)
    }
    public func labels(at index: Int) throws -> [String: Float] { let (d, i) = locate(index); return try d.labels(at: i) }
}
