import Framework

/// Training and validation: the loss of each class on the galaxies that have its mask, and
/// overlap metrics on the validation split.
extension SegmentationModel: TaskModel {
    func loss(_ batch: Batch) throws -> TaskLoss { try loss(batch, logits: logits(batch.images)) }

    /// The loss of logits already computed: per class, the galaxies that have its mask.
    private func loss(_ batch: Batch, logits z: Tensor) throws -> TaskLoss {
        var total: Tensor? = nil
        var parts: [String: Double] = [:]
        for (k, name) in classes.enumerated() {
            guard let t = batch.masks[name], let present = batch.maskPresent[name] else {
                throw ConfigError(file: "task", message: "the batch has no '\(name)' mask; the examples have \(batch.masks.keys.sorted())")
            }
            let perExample = try lossKind.perExample(logits: z.sliced(axis: 1, start: k, end: k + 1), targets: t)
            // A galaxy without this mask is left out of this class's loss, not trained to "no mask".
            let kept = try Loss.excludingAbsent(perExample, present: present)
            parts["\(name)_\(lossKind.rawValue)"] = Double(try kept.mean().item())
            let weighted = weights[k] == 1 ? kept : kept * weights[k]
            total = try total.map { try $0 + weighted } ?? weighted
        }
        return TaskLoss(total: total!, parts: parts)
    }

    /// `loss` (the training loss over the validation galaxies), and at threshold 0.5 the IoU
    /// and Dice of each class (`iou_<class>`, `dice_<class>`) and their means over classes
    /// (`iou`, `dice`), the masks thresholded at 0.5 as truth.
    func evaluate(_ loader: DataLoader) throws -> [String: Double] {
        var lossSum = 0.0, batches = 0
        var predictions: [Float] = [], targets: [Float] = [], present: [[Bool]] = []
        var shape: [Int] = []
        let epoch = loader.epoch(0)
        while let batch = try epoch.next() {
            let z = try logits(batch.images)
            lossSum += Double(try loss(batch, logits: z).total.mean().item())
            batches += 1
            let (t, p) = try Self.stack(batch, names: classes)
            predictions += z.sigmoid().storage
            targets += t.storage
            present += p
            shape = t.shape
        }
        guard batches > 0 else { return ["loss": .nan] }
        shape[0] = present.count
        let m = try SegmentationMetrics(predictions: Tensor(shape: shape, storage: predictions),
                                        targets: Tensor(shape: shape, storage: targets), present: present)
        var out: [String: Double] = ["loss": lossSum / Double(batches)]
        for (k, name) in classes.enumerated() {
            out["iou_\(name)"] = m.iou[0][k] ?? .nan
            out["dice_\(name)"] = m.dice[0][k] ?? .nan
        }
        out["iou"] = Self.mean(m.iou[0])
        out["dice"] = Self.mean(m.dice[0])
        return out
    }

    func parameterGroups(learningRate: Float, layerDecay: Float, weightDecay: Float) -> [ParameterGroup] {
        network.parameterGroups(learningRate: learningRate, layerDecay: layerDecay, weightDecay: weightDecay)
    }

    func freezeBackbone() { network.freezeEncoder() }

    /// The mean of the defined values; NaN when none is.
    static func mean(_ values: [Double?]) -> Double {
        let v = values.compactMap { $0 }
        return v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
    }
}
