import Framework

/// Training and validation through the framework's one run.
extension FasterRCNN: TaskModel {
    /// The sum of the four parts, the same for every example of the batch (torchvision
    /// normalises each part over the whole batch's samples, so there is no per-example split).
    public func loss(_ batch: Batch) throws -> TaskLoss {
        let parts = try losses(batch)
        var total = Tensor.scalar(0)
        for name in parts.keys.sorted() { total = try total + parts[name]! }
        let perExample = try total.reshaped([1]).expanded(to: [batch.count])
        return TaskLoss(total: perExample, parts: try parts.mapValues { Double(try $0.item()) }, isPerExample: false)
    }

    /// `loss` (and each part) plus AP50, COCO AP, completeness and purity at the model's
    /// score threshold, over the loader's galaxies.
    public func evaluate(_ loader: DataLoader) throws -> [String: Double] {
        let result = try DetectionEvaluation.run(self, loader: loader)
        return try result.metrics(scoreThreshold: scoreThreshold)
    }

    public func parameterGroups(learningRate: Float, layerDecay: Float, weightDecay: Float) -> [ParameterGroup] {
        let head = ([fpn].compactMap { $0 } + [rpn, roiHeads] as [Module]).flatMap { $0.trainableParameters() }
        return ParameterGroup.layerDecayed(head: head, backbone: backbone, learningRate: learningRate,
                                           layerDecay: layerDecay, weightDecay: weightDecay)
    }

    public func freezeBackbone() { backbone.freeze() }
}
