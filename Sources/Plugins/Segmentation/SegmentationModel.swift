import Framework

/// What the segmentation task trains: a mask network, the classes (catalog mask names) it
/// predicts, their loss weights, and the input standardisation of the training images.
final class SegmentationModel: Module {
    let network: any MaskNetwork
    let inputNorm: InputNormalization?
    /// Mask names, one output channel each, in order.
    let classes: [String]
    let weights: [Float]
    let lossKind: MaskLoss

    init(network: any MaskNetwork, classes: [String], weights: [Float], loss: MaskLoss, inputNorm: InputNormalization?) {
        self.network = network
        self.classes = classes
        precondition(weights.count == classes.count, "SegmentationModel: \(weights.count) weights for classes \(classes)")
        self.weights = weights
        self.lossKind = loss
        self.inputNorm = inputNorm
        super.init()
    }

    /// The network's keys stay at the top level (`backbone.…`, `decoder.…`).
    override func children() -> [(key: String, module: Module)] {
        network.children() + (inputNorm.map { [("input_norm", $0)] } ?? [])
    }

    /// Mask logits [N, K, H, W] of raw images.
    func logits(_ images: Tensor) throws -> Tensor {
        try network.logits(inputNorm.map { try $0(images) } ?? images)
    }

    /// Mask probabilities [N, K, H, W], averaged over the test-time transforms when given
    /// (each prediction brought back to the original frame first).
    func probabilities(_ images: Tensor, tta: TestTimeAugmentation? = nil) throws -> Tensor {
        guard let tta else { return try logits(images).sigmoid() }
        return try tta.meanDense(images) { try self.logits($0).sigmoid() }
    }

    /// The batch's masks of `names`, stacked [N, K, H, W], and their presence per example
    /// and class.
    static func stack(_ batch: Batch, names: [String]) throws -> (masks: Tensor, present: [[Bool]]) {
        var planes: [Tensor] = []
        var present = Array(repeating: [Bool](), count: batch.count)
        for name in names {
            guard let m = batch.masks[name], let flags = batch.maskPresent[name] else {
                throw ConfigError(file: "task", message: "the batch has no '\(name)' mask; the examples have \(batch.masks.keys.sorted())")
            }
            planes.append(m)
            for i in 0..<batch.count { present[i].append(flags[i]) }
        }
        return (try Tensor.concat(planes, axis: 1), present)
    }
}
