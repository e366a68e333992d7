import Foundation

/// Activation functions with PyTorch semantics, as parallel element-wise kernels.
extension Tensor {
    /// max(x, 0). NaN propagates; the gradient at 0 is 0.
    public func relu() -> Tensor {
        Tensor.vectorFunction(.relu, self).recorded("relu", [self]) { g, out in
            [Tensor.vectorFunction(.reluGradient, out, g)]
        }
    }

    /// x for x > 0, slope·x otherwise.
    public func leakyRelu(slope: Float = 0.01) -> Tensor {
        pointwise { $0 > 0 ? $0 : slope * $0 }.recorded("leakyRelu", [self]) { g, _ in
            [Tensor.pointwise(g, self) { g, x in x > 0 ? g : slope * g }]
        }
    }

    /// Logistic sigmoid 1 / (1 + e⁻ˣ), without overflow for large |x|.
    public func sigmoid() -> Tensor {
        Tensor.vectorFunction(.sigmoid, self).recorded("sigmoid", [self]) { g, out in
            [Tensor.pointwise(g, out) { g, y in g * y * (1 - y) }]
        }
    }

    /// Hyperbolic tangent.
    public func tanh() -> Tensor {
        pointwise { Foundation.tanh($0) }.recorded("tanh", [self]) { g, out in
            [Tensor.pointwise(g, out) { g, y in g * (1 - y * y) }]
        }
    }

    /// x·sigmoid(x) (also called swish).
    public func silu() -> Tensor {
        Tensor.vectorFunction(.silu, self).recorded("silu", [self]) { g, _ in
            [Tensor.vectorFunction(.siluGradient, self, g)]
        }
    }

    /// x·Φ(x) with Φ the standard normal CDF (exact, through erfc: PyTorch's and timm's
    /// default), or the tanh approximation when `approximate`.
    public func gelu(approximate: Bool = false) -> Tensor {
        if approximate {
            // ½(1 + tanh u) = sigmoid(2u): one exp instead of a (much slower) tanh, and no
            // cancellation for very negative x.
            return pointwise { x in
                x * ScalarActivation.sigmoid(2 * ScalarActivation.geluTanhScale * (x + ScalarActivation.geluCubic * x * x * x))
            }.recorded("gelu", [self]) { g, _ in
                [Tensor.pointwise(g, self) { g, x in
                    let x2 = x * x
                    let s = ScalarActivation.sigmoid(2 * ScalarActivation.geluTanhScale * (x + ScalarActivation.geluCubic * x2 * x))
                    let dInner = 2 * ScalarActivation.geluTanhScale * (1 + 3 * ScalarActivation.geluCubic * x2)
                    return g * (s + x * s * (1 - s) * dInner)
                }]
            }
        }
        // Φ(x) = ½·erfc(−x/√2) in vector registers (VectorMath.normalCDF), which unlike
        // ½(1 + erf(x/√2)) keeps its relative precision in the far negative tail.
        return Tensor.vectorFunction(.gelu, self).recorded("gelu", [self]) { g, _ in
            [Tensor.vectorFunction(.geluGradient, self, g)]
        }
    }

    /// log(1 + e^(β·x)) / β, and x itself where β·x > threshold (PyTorch semantics). Stable
    /// for any β·x.
    public func softplus(beta: Float = 1, threshold: Float = 20) -> Tensor {
        pointwise { x in
            let z = beta * x
            return z > threshold ? x : ScalarActivation.softplus(z) / beta
        }.recorded("softplus", [self]) { g, _ in
            [Tensor.pointwise(g, self) { g, x in
                let z = beta * x
                return z > threshold ? g : g * ScalarActivation.sigmoid(z)
            }]
        }
    }

    /// clamp((x + 3) / 6, 0, 1), the piecewise-linear sigmoid of MobileNetV3.
    public func hardSigmoid() -> Tensor {
        pointwise(ScalarActivation.hardSigmoid).recorded("hardSigmoid", [self]) { g, _ in
            [Tensor.pointwise(g, self) { g, x in x > -3 && x < 3 ? g / 6 : 0 }]
        }
    }

    /// x·hardSigmoid(x), MobileNetV3's cheap swish.
    public func hardSwish() -> Tensor {
        pointwise { $0 * ScalarActivation.hardSigmoid($0) }.recorded("hardSwish", [self]) { g, _ in
            // PyTorch's piecewise derivative: 0 below −3, x/3 + ½ up to 3 inclusive, 1 above.
            [Tensor.pointwise(g, self) { g, x in x < -3 ? 0 : (x <= 3 ? g * (x / 3 + 0.5) : g) }]
        }
    }
}
