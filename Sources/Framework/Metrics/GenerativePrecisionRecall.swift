/// Precision and recall of a generated distribution against a real one on any features
/// (Kynkäänniemi et al. 2019, "Improved precision and recall metric for assessing generative
/// models"): each set's manifold is the union of balls around its points whose radius is the
/// distance to the point's k-th nearest neighbour in the same set. Precision is the share of
/// generated points inside the real manifold (are the samples realistic?), recall the share
/// of real points inside the generated manifold (is the real variety covered?).
public enum GenerativePrecisionRecall {
    /// Precision and recall with `k` nearest neighbours (the paper uses k = 3).
    public static func compute(real: [[Float]], generated: [[Float]], k: Int = 3) throws -> (precision: Double, recall: Double) {
        guard k >= 1, real.count > k, generated.count > k else {
            throw TensorError.invalidArgument(op: "generative precision/recall",
                                              message: "k = \(k) needs more than k rows in each set, got \(real.count) real and \(generated.count) generated")
        }
        let d = real[0].count
        for (name, set) in [("real", real), ("generated", generated)] {
            if let i = set.firstIndex(where: { $0.count != d }) {
                throw TensorError.invalidArgument(op: "generative precision/recall", message: "\(name) row \(i) has \(set[i].count) features, expected \(d)")
            }
            if let i = set.firstIndex(where: { $0.contains { !$0.isFinite } }) {
                throw TensorError.invalidArgument(op: "generative precision/recall", message: "\(name) row \(i) has a non-finite feature")
            }
        }
        let realRadii = radii(real, k: k), generatedRadii = radii(generated, k: k)
        return (coverage(of: generated, by: real, radii: realRadii), coverage(of: real, by: generated, radii: generatedRadii))
    }

    /// Each row's squared distance to its k-th nearest other row.
    static func radii(_ x: [[Float]], k: Int) -> [Double] {
        x.indices.map { i in
            var ds = x.indices.filter { $0 != i }.map { squaredDistance(x[i], x[$0]) }
            ds.sort()
            return ds[k - 1]
        }
    }

    /// The share of `points` within the radius of at least one row of `manifold`.
    static func coverage(of points: [[Float]], by manifold: [[Float]], radii: [Double]) -> Double {
        let inside = points.filter { p in manifold.indices.contains { squaredDistance(p, manifold[$0]) <= radii[$0] } }.count
        return Double(inside) / Double(points.count)
    }

    static func squaredDistance(_ a: [Float], _ b: [Float]) -> Double {
        var s = 0.0
        for i in a.indices {
            let t = Double(a[i]) - Double(b[i])
            s += t * t
        }
        return s
    }
}
