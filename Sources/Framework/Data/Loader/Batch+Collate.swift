extension Batch {
    /// Stacks examples into a batch. Every image must have the same shape (set
    /// `output_size` for datasets of mixed sizes); `voteColumns` lists the vote columns in
    /// tensor order and each example must have all of them; `maskNames` (default: every
    /// mask any example has) sets which mask tensors to build.
    static func collate(_ items: [AugmentedExample], indices: [Int], epoch: Int, number: Int,
                        voteColumns: [String]?, maskNames: [String]?) throws -> Batch {
        guard let first = items.first?.example.image else {
            throw DataLoaderError(message: "cannot collate an empty batch")
        }
        let n = items.count
        let (c, h, w) = (first.channels, first.height, first.width)
        let plane = c * h * w
        var pixels = [Float](repeating: 0, count: n * plane)
        var labelNames = Set<String>()
        for (i, item) in items.enumerated() {
            let e = item.example
            guard e.image.shape == first.shape else {
                throw DataLoaderError(exampleID: e.id, index: indices[i],
                                      message: "image is \(e.image.shape) but the batch's first image is \(first.shape); set 'output_size' in the augmentation to batch images of different sizes")
            }
            pixels.withUnsafeMutableBufferPointer { dst in
                e.image.pixels.withUnsafeBufferPointer { src in
                    (dst.baseAddress! + i * plane).update(from: src.baseAddress!, count: plane)
                }
            }
            labelNames.formUnion(e.labels.keys)
        }
        var labels: [String: [Float]] = [:]
        for name in labelNames {
            labels[name] = items.map { $0.example.labels[name] ?? .nan }
        }
        var votes: Tensor?
        if let columns = voteColumns {
            var v = [Float](repeating: 0, count: n * columns.count)
            for (i, item) in items.enumerated() {
                for (j, column) in columns.enumerated() {
                    guard let count = item.example.votes[column] else {
                        throw DataLoaderError(exampleID: item.example.id, index: indices[i],
                                              message: "no vote column '\(column)'" + Self.hint(column, item.example.votes.keys))
                    }
                    v[i * columns.count + j] = count
                }
            }
            votes = Tensor(unchecked: [n, columns.count], storage: v)
        }
        let names = maskNames ?? Set(items.flatMap { $0.example.masks.keys }).sorted()
        var masks: [String: Tensor] = [:]
        var present: [String: [Bool]] = [:]
        for name in names {
            let planes = items.lazy.compactMap { $0.example.masks[name]?.channels }.first ?? 1
            let size = planes * h * w
            var m = [Float](repeating: 0, count: n * size)
            var flags = [Bool](repeating: false, count: n)
            for (i, item) in items.enumerated() {
                guard let mask = item.example.masks[name] else { continue }
                guard mask.shape == [planes, h, w] else {
                    throw DataLoaderError(exampleID: item.example.id, index: indices[i],
                                          message: "mask '\(name)' is \(mask.shape) but the batch needs \([planes, h, w])")
                }
                m.replaceSubrange(i * size..<(i + 1) * size, with: mask.pixels)
                flags[i] = true
            }
            masks[name] = Tensor(unchecked: [n, planes, h, w], storage: m)
            present[name] = flags
        }
        return Batch(epoch: epoch, number: number, indices: indices, ids: items.map(\.example.id),
                     images: Tensor(unchecked: [n, c, h, w], storage: pixels),
                     labels: labels, votes: votes, voteColumns: votes == nil ? [] : voteColumns ?? [],
                     masks: masks, maskPresent: present,
                     boxes: items.map(\.example.boxes),
                     droppedBoxes: items.reduce(0) { $0 + $1.droppedBoxes },
                     weights: items.map(\.example.weight))
    }

    /// "; did you mean 'x'?" or "; it has: a, b, …" for an error message.
    private static func hint(_ column: String, _ keys: Dictionary<String, Float>.Keys) -> String {
        if keys.isEmpty { return "; it has no votes" }
        let sorted = keys.sorted()
        if let s = nearest(column, in: sorted) { return "; did you mean '\(s)'?" }
        let suggestion = sorted.prefix(8).joined(separator: ", ") + (sorted.count > 8 ? ", …" : "")
        return "; it has: \(suggestion)"
    }
}
