/// A collated mini-batch: images stacked as [N, C, H, W] and every target the examples carry.
public struct Batch {
    /// Epoch and position of this batch within it.
    public var epoch: Int
    public var number: Int
    /// Dataset indices of the examples, in batch order.
    public var indices: [Int]
    /// Their ids (`id_str`).
    public var ids: [String]
    /// [N, C, H, W].
    public var images: Tensor
    /// Per label name, one value per example; NaN where an example lacks the label.
    public var labels: [String: [Float]]
    /// [N, A] vote counts in the loader's `voteColumns` order; nil when none were requested.
    public var votes: Tensor?
    /// The names of `votes`' columns, in order (empty when there is no vote tensor).
    public var voteColumns: [String] = []
    /// Per mask name, [N, 1, H, W]; zeros where the example has no such mask.
    public var masks: [String: Tensor]
    /// Per mask name, whether each example has that mask. An example without it must be
    /// excluded from that mask's loss, not trained towards an empty mask.
    public var maskPresent: [String: [Bool]]
    /// Boxes of each example, in output pixel coordinates.
    public var boxes: [[BoundingBox]]
    /// Boxes that augmentation pushed (almost) out of the frame, over the whole batch.
    public var droppedBoxes: Int
    /// Each example's weight in the training loss (`Example.weight`), in batch order; the
    /// trainer takes Σ wᵢ lossᵢ / Σ wᵢ when any differs from 1.
    public var weights: [Float] = []

    /// Whether any example weighs other than 1.
    public var isWeighted: Bool { weights.contains { $0 != 1 } }

    /// Number of examples.
    public var count: Int { ids.count }
}
