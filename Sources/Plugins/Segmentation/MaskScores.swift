import Framework

/// Scores of predicted masks, per class over all galaxies and per galaxy: IoU and Dice at
/// each threshold against the binary truth, soft Dice against the soft truth, and pixel ROC
/// AUC. A galaxy without a truth mask of a class is left out of that class.
struct MaskScores {
    let classes: [String]
    let thresholds: [Double]
    /// Over all galaxies: binary-truth overlaps and soft Dice.
    let overall: SegmentationMetrics
    let soft: SegmentationMetrics
    let auc: [Double?]
    /// Per galaxy, the same scores of that galaxy alone.
    let galaxies: [(binary: SegmentationMetrics, soft: SegmentationMetrics, auc: [Double?])]

    init(_ predictions: MaskPredictions, classes: [String], thresholds: [Double]) throws {
        self.classes = classes
        self.thresholds = thresholds
        let p = predictions
        overall = try SegmentationMetrics(predictions: p.probabilities, targets: p.truth, present: p.truthPresent, thresholds: thresholds)
        soft = try SegmentationMetrics(predictions: p.probabilities, targets: p.soft, present: p.softPresent, thresholds: thresholds)
        auc = try SegmentationMetrics.pixelROCAUC(predictions: p.probabilities, targets: p.truth, present: p.truthPresent)
        galaxies = try (0..<p.count).map { n in
            let g = try p.galaxy(n)
            return (try SegmentationMetrics(predictions: g.p, targets: g.truth, present: [p.truthPresent[n]], thresholds: thresholds),
                    try SegmentationMetrics(predictions: g.p, targets: g.soft, present: [p.softPresent[n]], thresholds: thresholds),
                    try SegmentationMetrics.pixelROCAUC(predictions: g.p, targets: g.truth, present: [p.truthPresent[n]]))
        }
    }

    /// "30" for 0.3: thresholds in metric names.
    static func percent(_ t: Double) -> String { String(Int((t * 100).rounded())) }

    /// Overall metrics by name: `iou_50_bar`, `dice_30_spiral`, `soft_dice_bar`,
    /// `pixel_auc_bar`, and each one's mean over classes without the class suffix.
    var metrics: [String: Double] {
        var out: [String: Double] = [:]
        func put(_ name: String, _ values: [Double?]) {
            for (k, c) in classes.enumerated() { out["\(name)_\(c)"] = values[k] ?? .nan }
            out[name] = SegmentationModel.mean(values)
        }
        for (i, t) in thresholds.enumerated() {
            put("iou_\(Self.percent(t))", overall.iou[i])
            put("dice_\(Self.percent(t))", overall.dice[i])
        }
        put("soft_dice", soft.softDice)
        put("pixel_auc", auc)
        return out
    }

    /// One row per galaxy and class.
    func perGalaxyTable(_ predictions: MaskPredictions) -> CSVTable {
        let ts = thresholds.map(Self.percent)
        let header = ["id_str", "class", "has_truth", "truth_pixels"] + ts.map { "predicted_pixels_\($0)" }
            + ts.map { "iou_\($0)" } + ts.map { "dice_\($0)" } + ["soft_dice", "pixel_auc"]
        func f(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "" }
        var rows: [[String]] = []
        let plane = predictions.plane
        for (n, g) in galaxies.enumerated() {
            for (k, c) in classes.enumerated() {
                let base = (n * classes.count + k) * plane
                let truth = predictions.truth.storage[base..<(base + plane)].filter { $0 >= 0.5 }.count
                let predicted = thresholds.map { t in predictions.probabilities.storage[base..<(base + plane)].filter { Double($0) >= t }.count }
                let has = predictions.truthPresent[n][k]
                rows.append([predictions.ids[n], c, has ? "1" : "0", has ? "\(truth)" : ""] + predicted.map(String.init)
                            + thresholds.indices.map { f(g.binary.iou[$0][k]) } + thresholds.indices.map { f(g.binary.dice[$0][k]) }
                            + [f(g.soft.softDice[k]), f(g.auc[k])])
            }
        }
        return CSVTable(header: header, rows: rows)
    }
}
