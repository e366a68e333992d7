extension Tensor {
    /// Reverse-mode differentiation from this tensor.
    ///
    /// With no seed the tensor must hold one element and the seed is 1. Gradients of leaves
    /// that require grad are *added* to their `grad` (call the optimizer's `zeroGrad()`
    /// between steps). The graph is released as it is walked, as PyTorch does without
    /// `retain_graph`.
    public func backward(_ seed: Tensor? = nil) throws {
        guard requiresGrad else {
            throw TensorError.backward("tensor of shape \(shape) does not require grad: no parameter or input on its path requires grad, or it was computed in GradMode.withoutGrad")
        }
        let start: Tensor
        if let seed {
            guard seed.shape == shape else {
                throw TensorError.shapeMismatch(op: "backward seed", lhs: shape, rhs: seed.shape)
            }
            start = seed
        } else {
            guard count == 1 else {
                throw TensorError.backward("output of shape \(shape) is not a scalar; pass a seed gradient of the same shape")
            }
            start = Tensor(unchecked: shape, storage: [1])
        }

        // Topological order by iterative depth-first search (deep nets overflow recursion).
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (t, expanded) = stack.popLast() {
            if expanded { order.append(t); continue }
            let id = ObjectIdentifier(t)
            if visited.contains(id) { continue }
            visited.insert(id)
            stack.append((t, true))
            if let fn = t.gradFn {
                for input in fn.inputs where input.requiresGrad && !visited.contains(ObjectIdentifier(input)) {
                    stack.append((input, false))
                }
            }
        }

        var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): start]
        try GradMode.withoutGrad {
            for t in order.reversed() {
                let id = ObjectIdentifier(t)
                guard let g = grads.removeValue(forKey: id) else { continue }
                guard let fn = t.gradFn else {
                    // A leaf: accumulate into .grad.
                    if let existing = t.grad {
                        t.grad = try existing + g
                    } else {
                        t.grad = g.storage.count == t.count ? Tensor(unchecked: t.shape, storage: g.storage) : g
                    }
                    continue
                }
                let inputGrads = try fn.backward(g, t)
                precondition(inputGrads.count == fn.inputs.count, "\(fn.name): backward returned \(inputGrads.count) gradients for \(fn.inputs.count) inputs")
                for (input, ig) in zip(fn.inputs, inputGrads) {
                    guard input.requiresGrad, let ig else { continue }
                    guard ig.shape == input.shape else {
                        throw TensorError.shapeMismatch(op: "\(fn.name) backward", lhs: input.shape, rhs: ig.shape,
                                                        detail: "gradient shape differs from input shape")
                    }
                    let iid = ObjectIdentifier(input)
                    if let acc = grads[iid] {
                        grads[iid] = try acc + ig
                    } else {
                        grads[iid] = ig
                    }
                }
                // Free the graph behind us: saved activations go as soon as they are used.
                t.gradFn = nil
            }
        }
    }
}
