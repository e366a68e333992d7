import Foundation
import ClusteringPlugin

/// The scikit-learn / NumPy references exported by scripts/clustering_fixtures.py.
enum Fixture {
    static let json: [String: Any] = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/clustering.json").path
        let data = FileManager.default.contents(atPath: path)!
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    static func section(_ name: String) -> [String: Any] { json[name] as! [String: Any] }

    static func matrix(_ value: Any?) -> FeatureMatrix {
        let rows = (value as! [[Double]]).map { $0.map(Float.init) }
        return try! FeatureMatrix(rows)
    }

    /// The best relabelling of `a` onto `b` (clusters matched greedily by overlap) and how
    /// many examples then agree.
    static func agreement(_ a: [Int], _ b: [Int]) -> Int {
        var overlap: [Int: [Int: Int]] = [:]
        for (x, y) in zip(a, b) { overlap[x, default: [:]][y, default: 0] += 1 }
        return overlap.values.reduce(0) { $0 + ($1.values.max() ?? 0) }
    }
}
