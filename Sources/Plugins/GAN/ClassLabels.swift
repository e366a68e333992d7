import Framework

/// Class indices of a conditional GAN: read from a batch's label column and one-hot encoded.
enum ClassLabels {
    /// One-hot rows [rows, classes] for `labels` (one index in 0..<classes per row).
    static func oneHot(_ labels: [Int]?, classes: Int, rows: Int) throws -> Tensor {
        guard let labels, labels.count == rows else {
            throw TensorError.invalidArgument(op: "conditional gan", message: "needs one class label per row: \(rows) rows, \(labels?.count ?? 0) labels")
        }
        var s = [Float](repeating: 0, count: rows * classes)
        for (i, y) in labels.enumerated() {
            guard (0..<classes).contains(y) else {
                throw TensorError.invalidArgument(op: "conditional gan", message: "class \(y) of row \(i) is outside 0..<\(classes)")
            }
            s[i * classes + y] = 1
        }
        return try Tensor(shape: [rows, classes], storage: s)
    }

    /// The batch's classes from label column `column`, each a whole number in 0..<classes.
    static func read(_ batch: Batch, column: String, classes: Int) throws -> [Int] {
        guard let values = batch.labels[column] else {
            throw ConfigError(file: "task", message: "class_label: the batch has no label '\(column)'; it has \(batch.labels.keys.sorted())")
        }
        return try zip(values, batch.ids).map { v, id in
            guard v.isFinite, v == v.rounded(), (0..<classes).contains(Int(v)) else {
                throw ConfigError(file: "task", message: "class_label '\(column)' of galaxy \(id) is \(v), expected a class index in 0..<\(classes)")
            }
            return Int(v)
        }
    }
}
