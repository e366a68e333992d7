import Foundation

/// Element-wise math: exp, log, sqrt, abs, powers, square and clamp.
extension Tensor {
    /// eˣ element-wise.
    public func exp() -> Tensor {
        pointwise { Foundation.exp($0) }.recorded("exp", [self]) { g, out in
            [Tensor.pointwise(g, out) { $0 * $1 }]
        }
    }

    /// Natural logarithm element-wise (−inf at 0, NaN below).
    public func log() -> Tensor {
        pointwise { Foundation.log($0) }.recorded("log", [self]) { g, _ in
            [Tensor.pointwise(g, self) { $0 / $1 }]
        }
    }

    /// Square root element-wise.
    public func sqrt() -> Tensor {
        pointwise { $0.squareRoot() }.recorded("sqrt", [self]) { g, out in
            [Tensor.pointwise(g, out) { 0.5 * $0 / $1 }]
        }
    }

    /// |x| element-wise; the gradient at 0 is 0, as in PyTorch.
    public func abs() -> Tensor {
        pointwise { Swift.abs($0) }.recorded("abs", [self]) { g, _ in
            [Tensor.pointwise(g, self) { g, x in x > 0 ? g : (x < 0 ? -g : 0) }]
        }
    }

    /// x² element-wise.
    public func square() -> Tensor {
        pointwise { $0 * $0 }.recorded("square", [self]) { g, _ in
            [Tensor.pointwise(g, self) { 2 * $0 * $1 }]
        }
    }

    /// xᵉ element-wise for a constant exponent. Negative bases work for integral exponents.
    public func pow(_ exponent: Float) -> Tensor {
        let e = exponent
        let out: Tensor
        switch e {
        case 1: out = pointwise { $0 }
        case 2: out = pointwise { $0 * $0 }
        case 0.5: out = pointwise { $0.squareRoot() }
        case -1: out = pointwise { 1 / $0 }
        default: out = pointwise { Foundation.pow($0, e) }
        }
        return out.recorded("pow", [self]) { g, _ in
            // d/dx x⁰ is 0 everywhere (PyTorch's choice), not 0·x⁻¹, which is NaN at 0.
            if e == 0 { return [g.pointwise { _ in 0 }] }
            return [Tensor.pointwise(g, self) { g, x in g * e * Foundation.pow(x, e - 1) }]
        }
    }

    /// xᵉ element-wise with a tensor exponent, broadcasting. Meant for positive bases: the
    /// gradient with respect to the exponent, xᵉ·ln x, is NaN for a negative base.
    public func pow(_ exponent: Tensor) throws -> Tensor {
        let base = self
        let shape = try Shape.broadcast(base.shape, exponent.shape, op: "pow")
        let (x, e) = try GradMode.withoutGrad { (try base.expanded(to: shape), try exponent.expanded(to: shape)) }
        let out = Tensor.pointwise(x, e) { Foundation.pow($0, $1) }
        return out.recorded("pow", [base, exponent]) { g, out in
            // Re-expand here instead of capturing the expanded copies: the tape keeps only the
            // inputs alive.
            let x = try base.expanded(to: shape), e = try exponent.expanded(to: shape)
            var gb: Tensor? = nil, ge: Tensor? = nil
            if base.requiresGrad {
                gb = try Tensor.pointwise(g, x, e) { g, x, e in
                    e == 0 ? 0 : g * e * Foundation.pow(x, e - 1)
                }.sumToShape(base.shape)
            }
            if exponent.requiresGrad {
                let gOut = Tensor.pointwise(g, out) { $0 * $1 }
                // 0ᵉ is constant in e for e > 0, so that gradient is 0 rather than 0·(−inf).
                ge = try Tensor.pointwise(gOut, x, e) { go, x, e in
                    x == 0 && e >= 0 ? 0 : go * Foundation.log(x)
                }.sumToShape(exponent.shape)
            }
            return [gb, ge]
        }
    }

    /// Limits every element to [min, max] (either bound may be omitted). NaN stays NaN; the
    /// gradient is 1 inside the closed interval and 0 outside it, as in PyTorch.
    public func clamp(min lower: Float? = nil, max upper: Float? = nil) -> Tensor {
        let lo = lower ?? -.infinity, hi = upper ?? .infinity
        // Comparisons with NaN are false, so NaN falls through unchanged; with lo > hi every
        // element becomes hi, as PyTorch does.
        return pointwise { x in
            let y = x < lo ? lo : x
            return y > hi ? hi : y
        }.recorded("clamp", [self]) { g, _ in
            [Tensor.pointwise(g, self) { g, x in x >= lo && x <= hi ? g : 0 }]
        }
    }
}
