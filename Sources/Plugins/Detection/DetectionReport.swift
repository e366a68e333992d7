import Foundation
import Framework

/// The detection sections of a run's report: the test metrics, completeness and purity
/// against the score threshold, the precision–recall curve, per-galaxy counts against truth
/// and an overlay gallery of truth and detections.
struct DetectionReport {
    let result: DetectionEvaluation
    let options: DetectionComponent.Options
    let dataset: any Dataset
    /// Dataset indices of the evaluated galaxies, in `result`'s order.
    let indices: [Int]

    /// Thresholds of the completeness / purity curve.
    static let thresholds: [Float] = (0...19).map { Float($0) * 0.05 }

    /// Completeness and purity (nil when nothing scores that high) at each threshold.
    func curve() throws -> [(threshold: Float, completeness: Double, purity: Double?)] {
        try Self.thresholds.map { t in
            let m = try DetectionMetrics(detections: result.detections, groundTruth: result.truth, scoreThreshold: t)
            return (t, m.completeness, m.purity)
        }
    }

    func add(to report: inout RunReport) throws {
        report.addSection("Detection")
        guard result.truth.contains(where: { !$0.isEmpty }) else {
            report.addParagraph("No test galaxy has a true box, so AP, completeness and purity are undefined.")
            return
        }
        let m = try DetectionMetrics(detections: result.detections, groundTruth: result.truth, scoreThreshold: options.scoreThreshold)
        let found = result.detections.joined().filter { $0.score >= options.scoreThreshold }.count
        report.addTable(header: ["metric", "value"], rows: [
            ["VOC all-point AP50", String(format: "%.4f", m.vocAP50)],
            ["COCO AP@[.50:.95] (101-point)", String(format: "%.4f", m.cocoAP)],
            ["COCO AP50 (101-point)", String(format: "%.4f", m.cocoAP50)],
            ["completeness (recall) at score ≥ \(options.scoreThreshold), IoU ≥ 0.5", String(format: "%.4f", m.completeness)],
            ["purity (precision) at score ≥ \(options.scoreThreshold), IoU ≥ 0.5", m.purity.map { String(format: "%.4f", $0) } ?? "no detections"],
            ["true boxes / detections ≥ threshold", "\(result.truth.joined().count) / \(found)"],
        ])
        report.addParagraph("Matching is greedy by descending score, one detection per true box (pycocotools' rule); VOC AP50 is the area under the precision envelope at IoU 0.5, COCO AP averages the 101-point AP over IoU 0.50:0.05:0.95.")
        // COCO's size ranges (32², 96² pixels²) put every clump of a cutout in "small"; thirds
        // of the test set's true boxes say whether the small clumps are the ones missed.
        let bySize = DetectionMetrics.cocoAP(byArea: DetectionMetrics.AreaRange.terciles(of: Array(result.truth.joined())),
                                             detections: result.detections, groundTruth: result.truth)
        report.addTable(header: ["true box area", "true boxes", "COCO AP@[.50:.95]"], rows: bySize.map {
            [$0.range.name, "\($0.truths)", $0.ap.map { String(format: "%.4f", $0) } ?? "–"]
        })
        try report.addCSV("ap_by_size.csv", CSVTable(header: ["range", "min_area", "max_area", "true_boxes", "coco_ap"], rows: bySize.map {
            [$0.range.name, "\($0.range.min)", "\($0.range.max)", "\($0.truths)", $0.ap.map { "\($0)" } ?? ""]
        }))

        let c = try curve()
        try report.addCSV("completeness_purity.csv", CSVTable(header: ["score_threshold", "completeness", "purity"], rows: c.map {
            [String(format: "%.2f", $0.threshold), String(format: "%.4f", $0.completeness), $0.purity.map { String(format: "%.4f", $0) } ?? ""]
        }))
        let x = c.map { Double($0.threshold) }
        try report.addFigure("completeness_purity", LinePlot(series: [
            LinePlot.Series(name: "completeness", x: x, y: c.map(\.completeness)),
            LinePlot.Series(name: "purity", x: x, y: c.map { $0.purity ?? .nan }),
        ], title: "Completeness and purity", xLabel: "score threshold", yLabel: "",
           yRange: 0...1).render(), caption: "Completeness (matched true boxes / all) and purity (matched detections / detections) of detections scoring at least the threshold, IoU ≥ 0.5.")
        let pr = c.filter { $0.purity != nil }
        try report.addFigure("precision_recall", LinePlot(series: [
            LinePlot.Series(name: "detector", x: pr.map(\.completeness), y: pr.map { $0.purity! }, marker: .circle),
        ], title: "Precision-recall (IoU >= 0.5)", xLabel: "recall (completeness)", yLabel: "precision (purity)",
           xRange: 0...1, yRange: 0...1).render(), caption: "Precision against recall as the score threshold goes from 0 to 0.95 in steps of 0.05.")

        let counts = result.counts(scoreThreshold: options.scoreThreshold)
        try report.addFigure("clump_counts", ScatterPlot(groups: [
            ScatterPlot.Group(name: "galaxies", x: counts.indices.map { Double(counts[$0].truth) + jitter($0, 0) },
                              y: counts.indices.map { Double(counts[$0].found) + jitter($0, 1) }),
        ], title: "Clumps per galaxy", xLabel: "true clumps", yLabel: "detected (score >= \(options.scoreThreshold))",
           identityLine: true).render(), caption: "Detected against true clumps per test galaxy (points jittered by ±0.15 so that equal counts stay visible).")

        try addGallery(to: &report)
    }

    /// A small deterministic offset of galaxy `i` so that galaxies with equal counts do not hide each other.
    private func jitter(_ i: Int, _ axis: Int) -> Double { Double((i &* 7919 &+ axis &* 104_729) % 31) / 100 - 0.15 }

    func addGallery(to report: inout RunReport) throws {
        // Galaxies with true boxes first, so the gallery shows clumps.
        let order = result.truth.indices.sorted { (result.truth[$0].isEmpty ? 1 : 0, $0) < (result.truth[$1].isEmpty ? 1 : 0, $1) }
        let shown = order.prefix(options.gallery)
        guard !shown.isEmpty else { return }
        var tiles: [ImageGrid.Tile] = []
        for i in shown {
            let image = try dataset.example(at: indices[i]).image
            let truth = result.truth[i].map { BoxOverlay.Box(box: $0, color: .correct) }
            let dets = result.detections[i].filter { $0.score >= options.scoreThreshold }.map {
                BoxOverlay.Box(box: $0.box, color: RGBColor(hex: 0xFF8C00), label: String(format: "%.2f", $0.score))
            }
            let overlay = try BoxOverlay(image: image, boxes: truth + dets, scale: max(1, 256 / max(1, image.width))).render()
            let above = result.detections[i].filter { $0.score >= options.scoreThreshold }.count
            tiles.append(ImageGrid.Tile(image: overlay, caption: "\(result.ids[i]): \(result.truth[i].count) true, \(above) found"))
        }
        let grid = ImageGrid(tiles: tiles, columns: 4, tileSize: 256, title: "Test galaxies: truth (green) and detections scoring >= \(options.scoreThreshold) (orange)",
                             interpolation: .nearest)
        try report.addFigure("overlays", grid.render(), caption: "Truth boxes in green; detections scoring ≥ \(options.scoreThreshold) in orange with their scores.")
    }
}
