import Framework

/// How a predicted mask is scored against its target, per galaxy. Targets may be soft.
public enum MaskLoss: String, ConfigEnum, Codable, Sendable {
    /// Mean squared error of the probabilities, zoobot-3d's loss on volunteer-fraction masks.
    case mse
    /// Binary cross-entropy per pixel.
    case bce
    /// Soft Dice, 1 − (2Σpt + 1)/(Σp + Σt + 1).
    case dice
    /// Cross-entropy plus soft Dice: the usual pair for small foregrounds, where
    /// cross-entropy alone settles on "no mask anywhere".
    case diceBCE = "dice_bce"

    /// Per-galaxy losses [N] of logits [N, 1, H, W] against targets of the same shape.
    func perExample(logits z: Tensor, targets t: Tensor) throws -> Tensor {
        switch self {
        case .mse: return try Loss.mse(z.sigmoid(), t).mean(axes: [1, 2, 3])
        case .bce: return try Loss.binaryCrossEntropyWithLogits(logits: z, targets: t).mean(axes: [1, 2, 3])
        case .dice: return try Loss.softDice(probabilities: z.sigmoid(), targets: t)
        case .diceBCE:
            return try MaskLoss.bce.perExample(logits: z, targets: t) + MaskLoss.dice.perExample(logits: z, targets: t)
        }
    }
}
