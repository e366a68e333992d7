/// Rescales gradients so that their global L2 norm is at most `maxNorm`
/// (`torch.nn.utils.clip_grad_norm_`); returns the norm before clipping.
public enum GradientClipping {
    @discardableResult
    public static func clipGlobalNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
        var total: Double = 0
        for p in parameters {
            guard let g = p.grad else { continue }
            g.storage.withUnsafeBufferPointer { b in
                var s: Double = 0
                for v in b { s += Double(v) * Double(v) }
                total += s
            }
        }
        let norm = Float(total.squareRoot())
        let scale = maxNorm / (norm + 1e-6)
        if scale < 1 {
            for p in parameters {
                guard let g = p.grad else { continue }
                p.grad = Tensor(unchecked: g.shape, storage: g.storage.map { $0 * scale })
            }
        }
        return norm
    }
}
