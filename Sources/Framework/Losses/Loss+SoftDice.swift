extension Loss {
    /// Soft Dice loss per example: 1 − (2Σp·t + ε) / (Σp + Σt + ε), summing over every axis
    /// but the first. Returns [N]; both inputs get gradients (targets may be soft).
    public static func softDice(probabilities p: Tensor, targets t: Tensor, epsilon: Float = 1) throws -> Tensor {
        let op = "softDice"
        guard p.shape == t.shape else {
            throw TensorError.shapeMismatch(op: op, lhs: p.shape, rhs: t.shape, detail: "probabilities and targets must have the same shape")
        }
        guard p.rank >= 1 else {
            throw TensorError.invalidArgument(op: op, message: "needs a batch axis, got shape \(p.shape)")
        }
        let n = p.shape[0], m = n == 0 ? 0 : p.count / n
        let e = Double(epsilon)
        // Per example: A = 2Σpt + ε and B = Σp + Σt + ε, accumulated in Double.
        func sums() -> [(a: Double, b: Double)] {
            p.storage.withUnsafeBufferPointer { pp in
                t.storage.withUnsafeBufferPointer { pt in
                    (0..<n).map { i in
                        var spt = 0.0, sp = 0.0, st = 0.0
                        for j in (i * m)..<((i + 1) * m) {
                            let x = Double(pp[j]), y = Double(pt[j])
                            spt += x * y; sp += x; st += y
                        }
                        return (2 * spt + e, sp + st + e)
                    }
                }
            }
        }
        let out = sums().map { Float(1 - $0.a / $0.b) }
        return Tensor(unchecked: [n], storage: out).recorded(op, [p, t]) { g, _ in
            let ab = sums()
            // ∂L/∂pⱼ = −(2tⱼ·B − A) / B², and symmetrically for tⱼ.
            let gData = g.storage
            func grad(_ other: Tensor) -> Tensor {
                let x = other.storage
                var r = [Float](repeating: 0, count: n * m)
                for i in 0..<n {
                    let (a, b) = ab[i], gi = Double(gData[i])
                    for j in (i * m)..<((i + 1) * m) {
                        r[j] = Float(-gi * (2 * Double(x[j]) * b - a) / (b * b))
                    }
                }
                return Tensor(unchecked: p.shape, storage: r)
            }
            return [p.requiresGrad ? grad(t) : nil, t.requiresGrad ? grad(p) : nil]
        }
    }
}
