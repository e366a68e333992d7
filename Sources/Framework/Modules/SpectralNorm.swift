/// Spectral normalisation of one weight (Miyato et al. 2018): the weight divided by its
/// largest singular value, estimated by one power-iteration step per training forward pass.
/// The estimates u and v are buffers, so a checkpoint carries them and a resumed run goes on
/// with the same iteration. In evaluation the stored estimates are used unchanged.
public final class SpectralNorm: Module {
    /// Left singular-vector estimate [rows].
    public let u: Tensor
    /// Right singular-vector estimate [cols].
    public let v: Tensor
    /// Power-iteration steps per training forward pass.
    public var iterations: Int
    public var eps: Float

    override public var bufferKeys: Set<String> { ["u", "v"] }

    /// For a weight whose first axis has `rows` entries and whose other axes hold `cols`.
    public init(rows: Int, cols: Int, iterations: Int = 1, eps: Float = 1e-12, rng: inout RandomGenerator) {
        u = Self.unit(try! Tensor.randn([rows], using: &rng), eps: eps)
        v = Self.unit(try! Tensor.randn([cols], using: &rng), eps: eps)
        self.iterations = iterations
        self.eps = eps
        super.init()
    }

    /// For `weight`'s shape (a convolution's [out, in, kh, kw] or a linear layer's [out, in]).
    public convenience init(for weight: Tensor, iterations: Int = 1, rng: inout RandomGenerator) {
        self.init(rows: weight.shape[0], cols: weight.count / weight.shape[0], iterations: iterations, rng: &rng)
    }

    /// `weight / σ(weight)`; in training mode the estimates first take `iterations` steps.
    public func callAsFunction(_ weight: Tensor) throws -> Tensor {
        if training { try iterate(weight) }
        return try weight.dividedBySpectralEstimate(u: u, v: v)
    }

    /// v ← Wᵀu / ‖Wᵀu‖, u ← Wv / ‖Wv‖, outside the tape.
    func iterate(_ weight: Tensor) throws {
        let rows = u.count, cols = v.count
        guard weight.count == rows * cols, weight.shape[0] == rows else {
            throw TensorError.invalidArgument(op: "SpectralNorm", message: "weight \(weight.shape) does not match estimates of \(rows) and \(cols) values")
        }
        let w = weight.storage
        var uu = u.storage, vv = v.storage
        for _ in 0..<iterations {
            for j in 0..<cols { vv[j] = 0 }
            for i in 0..<rows {
                let ui = uu[i], base = i * cols
                for j in 0..<cols { vv[j] += w[base + j] * ui }
            }
            Self.normalise(&vv, eps: eps)
            for i in 0..<rows {
                var s: Float = 0
                let base = i * cols
                for j in 0..<cols { s += w[base + j] * vv[j] }
                uu[i] = s
            }
            Self.normalise(&uu, eps: eps)
        }
        u.storage = uu
        v.storage = vv
    }

    static func normalise(_ x: inout [Float], eps: Float) {
        let norm = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let scale = 1 / Swift.max(norm, eps)
        for i in x.indices { x[i] *= scale }
    }

    static func unit(_ t: Tensor, eps: Float) -> Tensor {
        var s = t.storage
        normalise(&s, eps: eps)
        return Tensor(unchecked: t.shape, storage: s)
    }
}
