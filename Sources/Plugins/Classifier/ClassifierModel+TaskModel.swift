import Framework

/// A classifier, regressor or vote-tree model as the framework's supervised run trains it:
/// the head's loss on the batch's labels or votes, and the head's metrics on validation.
extension ClassifierModel: TaskModel {
    public func loss(_ batch: Batch) throws -> TaskLoss {
        TaskLoss(total: try head.loss(outputs: self(batch.images), targets: batch.targets()))
    }

    public func evaluate(_ loader: DataLoader) throws -> [String: Double] {
        let r = try Evaluation.run(model: self, loader: loader, mcSamples: 1)
        var m = r.metrics
        m["loss"] = r.loss
        return m
    }

    public func freezeBackbone() { encoder.freeze() }
}
