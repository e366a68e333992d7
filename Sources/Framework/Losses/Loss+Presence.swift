extension Loss {
    /// Per-example losses [N] reweighted so that their batch mean (what the trainer takes)
    /// is the mean over the examples that have the target: an example without a mask of a
    /// type is excluded from that loss, not trained towards an empty mask. With no example
    /// present the result is zero everywhere, with zero gradient.
    public static func excludingAbsent(_ perExample: Tensor, present: [Bool]) throws -> Tensor {
        guard perExample.rank == 1, perExample.count == present.count else {
            throw TensorError.invalidArgument(op: "excludingAbsent",
                message: "per-example losses of shape \(perExample.shape) for \(present.count) presence flags")
        }
        let k = present.filter { $0 }.count
        let scale = k == 0 ? 0 : Float(present.count) / Float(k)
        return try perExample * Tensor(shape: [present.count], storage: present.map { $0 ? scale : 0 })
    }
}
