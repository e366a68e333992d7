import Foundation

/// Adam (`torch.optim.Adam`, L2 weight decay added to the gradient) and, with `decoupled`,
/// AdamW (`torch.optim.AdamW`: weights shrink by lr·wd before the Adam step).
public final class Adam: Optimizer {
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// AdamW's decoupled weight decay instead of L2.
    public let decoupled: Bool

    public init(groups: [ParameterGroup], beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                decoupled: Bool = false) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.decoupled = decoupled
        super.init(groups: groups)
    }

    /// AdamW with PyTorch's defaults (weight decay 0.01).
    public static func adamW(groups: [ParameterGroup], beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) -> Adam {
        Adam(groups: groups, beta1: beta1, beta2: beta2, epsilon: epsilon, decoupled: true)
    }

    override public func update(_ p: Tensor, grad: [Float], lr: Float, weightDecay: Float, slots: inout [String: [Float]]) {
        let n = p.count
        if n == 0 { return }
        // Taken out of the dictionary, so that writing them does not copy them (copy-on-write).
        var m = slots.removeValue(forKey: "exp_avg") ?? [Float](repeating: 0, count: n)
        var v = slots.removeValue(forKey: "exp_avg_sq") ?? [Float](repeating: 0, count: n)
        let t = (slots["step"]?.first ?? 0) + 1
        let b1 = beta1, b2 = beta2, eps = epsilon, wd = weightDecay, dec = decoupled
        let c1 = 1 - Float(pow(Double(b1), Double(t)))
        let c2 = 1 - Float(pow(Double(b2), Double(t)))
        let stepSize = lr / c1
        let c2root = c2.squareRoot()
        p.storage.withUnsafeMutableBufferPointer { w in
            grad.withUnsafeBufferPointer { g in
                m.withUnsafeMutableBufferPointer { pm in
                    v.withUnsafeMutableBufferPointer { pv in
                        let w = w.baseAddress!, g = g.baseAddress!, pm = pm.baseAddress!, pv = pv.baseAddress!
                        // Element by element, so any split among threads gives the same bits.
                        Parallel.chunks(n, minChunk: 1 << 15) { start, end in
                            for i in start..<end {
                                var gi = g[i]
                                if dec { w[i] *= 1 - lr * wd } else { gi += wd * w[i] }
                                pm[i] = b1 * pm[i] + (1 - b1) * gi
                                pv[i] = b2 * pv[i] + (1 - b2) * gi * gi
                                w[i] -= stepSize * pm[i] / (pv[i].squareRoot() / c2root + eps)
                            }
                        }
                    }
                }
            }
        }
        slots["exp_avg"] = m
        slots["exp_avg_sq"] = v
        slots["step"] = [t]
    }
}
