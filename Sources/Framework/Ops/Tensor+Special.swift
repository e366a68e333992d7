/// Special functions of the gamma family, evaluated in Double and rounded to Float.
extension Tensor {
    /// ln|Γ(x)| element-wise; its gradient is the digamma function.
    public func lgamma() -> Tensor {
        pointwise { Float(Special.lgamma(Double($0))) }.recorded("lgamma", [self]) { g, _ in
            [Tensor.pointwise(g, self) { g, x in g * Float(Special.digamma(Double(x))) }]
        }
    }

    /// ψ(x) = d/dx ln Γ(x) element-wise; its gradient is the trigamma function.
    public func digamma() -> Tensor {
        pointwise { Float(Special.digamma(Double($0))) }.recorded("digamma", [self]) { g, _ in
            [Tensor.pointwise(g, self) { g, x in g * Float(Special.trigamma(Double(x))) }]
        }
    }
}
