import Foundation
import Framework

/// The files a detector's test pass leaves: the detections CSV and COCO JSON (results and
/// the matching ground truth, so pycocotools' `COCO(gt).loadRes(results)` reads them).
extension DetectionEvaluation {
    /// `id_str,label,score,x_min,y_min,x_max,y_max`, one row per detection, galaxies in order.
    public func detectionsTable() -> CSVTable {
        var rows: [[String]] = []
        for (id, dets) in zip(ids, detections) {
            for d in dets {
                rows.append([id, "\(d.box.label)", String(format: "%.5f", d.score)] +
                            [d.box.x1, d.box.y1, d.box.x2, d.box.y2].map { String(format: "%.3f", $0) })
            }
        }
        return CSVTable(header: ["id_str", "label", "score", "x_min", "y_min", "x_max", "y_max"], rows: rows)
    }

    /// COCO results: `[{image_id, category_id, bbox: [x, y, w, h], score}]`; image ids are
    /// positions in `ids`, as in `cocoGroundTruth`.
    public func cocoResults() throws -> Data {
        var list: [[String: Any]] = []
        for (i, dets) in detections.enumerated() {
            for d in dets {
                list.append(["image_id": i, "category_id": d.box.label, "score": Double(d.score),
                             "bbox": [d.box.x1, d.box.y1, d.box.width, d.box.height].map(Double.init)])
            }
        }
        return try JSONSerialization.data(withJSONObject: list, options: [.sortedKeys])
    }

    /// COCO ground truth: images (`file_name` is the galaxy's id), annotations with area and
    /// `iscrowd: 0`, and categories 1…`classes`.
    public func cocoGroundTruth(classes: Int, width: Int, height: Int) throws -> Data {
        var annotations: [[String: Any]] = []
        for (i, boxes) in truth.enumerated() {
            for b in boxes {
                annotations.append(["id": annotations.count + 1, "image_id": i, "category_id": b.label, "iscrowd": 0,
                                    "area": Double(b.area), "bbox": [b.x1, b.y1, b.width, b.height].map(Double.init)])
            }
        }
        let doc: [String: Any] = [
            "images": ids.enumerated().map { ["id": $0.offset, "file_name": $0.element, "width": width, "height": height] as [String: Any] },
            "annotations": annotations,
            "categories": (1...max(1, classes)).map { ["id": $0, "name": $0 == 1 ? "clump" : "class \($0)"] as [String: Any] },
        ]
        return try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys])
    }

    /// Per galaxy, the true box count and the number of detections scoring ≥ `threshold`.
    public func counts(scoreThreshold threshold: Float) -> [(truth: Int, found: Int)] {
        zip(truth, detections).map { ($0.count, $1.filter { $0.score >= threshold }.count) }
    }
}
