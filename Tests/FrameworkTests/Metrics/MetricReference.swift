import Foundation
@testable import Framework

/// Reference numbers from scikit-learn, pycocotools and NumPy/SciPy, written once by
/// scripts/metric_fixtures.py together with the inputs they were computed from.
struct MetricReference: Decodable {
    struct Segmentation: Decodable {
        let shape: [Int]
        let predictions, targets: [Float]
        let present: [[Bool]]
        let thresholds: [Double]
        let iou, dice: [[Double]]
        let softDice: [Double]
    }
    struct Clustering: Decodable {
        let labels, clusters: [Int]
        let purity, nmi, ari: Double
    }
    struct Frechet: Decodable {
        let a, b, kidA, kidB: [[Float]]
        let fid, kid: Double
    }
    struct Detection: Decodable {
        struct Truth: Decodable { let box: [Float]; let label: Int }
        struct Predicted: Decodable { let box: [Float]; let label: Int; let score: Float }
        let groundTruth: [[Truth]]
        let detections: [[Predicted]]
        let cocoAP, cocoAP50, vocAP50, completeness, purity: Double
        let cocoAPPerClass, vocAP50PerClass: [Double]
        let scoreThreshold: Float
    }
    let segmentation: Segmentation
    let clustering: Clustering
    let frechet: Frechet
    let detection: Detection

    static func load() throws -> MetricReference {
        try JSONDecoder().decode(Self.self, from: Data(Fixtures.bytes("metrics/reference.json")))
    }
}

/// The error's description, or "" when `body` does not throw.
func thrownMessage(_ body: () throws -> Void) -> String {
    do { try body(); return "" } catch { return "\(error)" }
}
