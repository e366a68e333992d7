/// Test-time augmentation over the rotations (C4) or rotations and reflections (D4) of an
/// image batch.
///
/// Each transform is applied to the batch, the model predicts, and the prediction is brought
/// back to the original frame before averaging: class scores are averaged as they are,
/// dense maps (masks) are inverse-transformed first, and boxes are inverse-mapped and
/// returned per transform so the caller can merge them (NMS, weighted boxes). Average
/// probabilities, not logits, when the caller wants a calibrated mean.
public struct TestTimeAugmentation: Sendable {
    /// Which transforms to average over.
    public enum Group: String, ConfigEnum, Codable, Sendable {
        /// Only the identity.
        case none
        /// The four rotations by multiples of 90°.
        case c4
        /// The rotations and their mirror images.
        case d4
    }

    public let group: Group
    /// The transforms, identity first.
    public let transforms: [DihedralTransform]

    /// Refuses D4 for a handedness-sensitive target: a reflection turns an S spiral into a Z.
    public init(group: Group, handedness: Bool = false) throws {
        if group == .d4 && handedness {
            throw AugmentationError("test-time augmentation: group 'd4' includes reflections, which swap S and Z spiral winding; a handedness-sensitive target may only use 'c4'")
        }
        self.group = group
        switch group {
        case .none: transforms = [.identity]
        case .c4: transforms = DihedralTransform.c4
        case .d4: transforms = DihedralTransform.d4
        }
    }

    /// The batch under every transform, in `transforms` order.
    public func transformed(_ images: Tensor) throws -> [Tensor] {
        try checkImages(images)
        return try transforms.map { try $0.apply(to: images) }
    }

    /// The mean of `predict` over the transformed batches, for outputs that do not move with
    /// the image (class scores, vote fractions: [N, A]).
    public func meanScores(_ images: Tensor, predict: (Tensor) throws -> Tensor) throws -> Tensor {
        try checkImages(images)
        var outputs: [Tensor] = []
        for t in transforms { outputs.append(try predict(try t.apply(to: images))) }
        return try Self.mean(outputs, what: "scores")
    }

    /// The mean of dense predictions ([N, K, h, w], any resolution) after mapping each back
    /// through the inverse of the transform its input went through.
    public func meanDense(_ images: Tensor, predict: (Tensor) throws -> Tensor) throws -> Tensor {
        try checkImages(images)
        var outputs: [Tensor] = []
        for t in transforms {
            let dense = try predict(try t.apply(to: images))
            guard dense.rank >= 2 else {
                throw TensorError.invalidArgument(op: "tta.meanDense",
                                                  message: "a dense prediction must be [N, K, h, w], got \(dense.shape)")
            }
            outputs.append(try t.inverse.apply(to: dense))
        }
        return try Self.mean(outputs, what: "dense predictions")
    }

    /// Boxes predicted on each transformed batch, mapped back to the original frame:
    /// `result[t][n]` are the boxes of example n under `transforms[t]`.
    public func boxes(_ images: Tensor, predict: (Tensor) throws -> [[BoundingBox]]) throws -> [[[BoundingBox]]] {
        try checkImages(images)
        let h = images.shape[2], w = images.shape[3]
        return try transforms.map { t in
            try predict(try t.apply(to: images)).map { Self.inverse($0, of: t, width: w, height: h) }
        }
    }

    /// Maps boxes found on an image transformed by `t` back to the original `width`×`height`
    /// image.
    public static func inverse(_ boxes: [BoundingBox], of t: DihedralTransform, width: Int, height: Int) -> [BoundingBox] {
        let (tw, th) = t.outputSize(width: width, height: height)
        let back = t.inverse.map(width: tw, height: th)
        return boxes.map { back.enclosing($0) }
    }

    func checkImages(_ images: Tensor) throws {
        guard images.rank == 4 else {
            throw TensorError.invalidArgument(op: "tta(\(group.rawValue))",
                                              message: "expects an image batch [N, C, H, W], got \(images.shape)")
        }
    }

    static func mean(_ outputs: [Tensor], what: String) throws -> Tensor {
        guard var sum = outputs.first else {
            throw TensorError.invalidArgument(op: "tta", message: "no \(what) to average")
        }
        for o in outputs.dropFirst() {
            guard o.shape == sum.shape else {
                throw TensorError.shapeMismatch(op: "tta.mean", lhs: sum.shape, rhs: o.shape,
                                                detail: "\(what) of every transform must have the same shape in the original frame")
            }
            sum = try sum + o
        }
        return sum * (1 / Float(outputs.count))
    }
}
