/// Splitting a catalog by the options of a config.
extension CatalogDataset {
    /// The split `options` describe: from a split column, or seeded fractions stratified by
    /// `stratifyBy` when given. Indices refer to `entries`.
    public func split(_ options: DatasetSplit.Options) throws -> DatasetSplit {
        if let column = options.column {
            let values = try values(ofColumn: column)
            return try DatasetSplit.fromValues(values, column: column) { entries[$0].location }
        }
        let strata = try options.stratifyBy.map { try values(ofColumn: $0) }
        return try DatasetSplit.random(count: count, train: options.train, val: options.val, test: options.test,
                                       seed: options.seed, strata: strata)
    }
}
