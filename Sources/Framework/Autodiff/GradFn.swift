/// The record of one op on the tape: its inputs and how to map the output's gradient to
/// theirs.
///
/// The backward closure receives the output tensor as an argument instead of capturing it,
/// so that a tensor never owns a closure that owns the tensor (no retain cycle).
final class GradFn {
    let name: String
    let inputs: [Tensor]
    /// (gradient of the output, the output) → gradient per input, nil where none flows.
    let backward: (Tensor, Tensor) throws -> [Tensor?]

    init(name: String, inputs: [Tensor], backward: @escaping (Tensor, Tensor) throws -> [Tensor?]) {
        self.name = name
        self.inputs = inputs
        self.backward = backward
    }
}

extension Tensor {
    /// Records `self` as the output of an op when grad mode is on and any input needs grad.
    /// Ops call this last; the closure runs with recording off.
    @discardableResult
    func recorded(_ name: String, _ inputs: [Tensor],
                  _ backward: @escaping (_ grad: Tensor, _ out: Tensor) throws -> [Tensor?]) -> Tensor {
        guard GradMode.enabled, inputs.contains(where: { $0.requiresGrad }) else { return self }
        requiresGrad = true
        gradFn = GradFn(name: name, inputs: inputs, backward: backward)
        return self
    }
}
