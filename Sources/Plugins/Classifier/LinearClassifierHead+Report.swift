import Foundation
import Framework

/// A classifier's report sections: per-class precision/recall/F1, the confusion matrix and,
/// for two classes, the ROC curve and galleries of the most confident positives and of the
/// most confident mistakes.
extension LinearClassifierHead {
    public func addReportSections(_ results: HeadTestResults, to report: inout RunReport) throws {
        guard let truth = results.targets.labels[label] else { return }
        let kept = truth.indices.filter { truth[$0].isFinite }
        guard !kept.isEmpty else { return }
        let labels = kept.map { Int(truth[$0]) }
        let probabilities = kept.map { results.predictions[$0] }
        let metrics = ClassificationMetrics(probabilities: probabilities, labels: labels)
        report.addSection("Test set")
        report.addTable(header: ["class", "precision", "recall", "F1"],
                        rows: outputNames.indices.map { c in
                            [outputNames[c], String(format: "%.3f", metrics.precision[c]),
                             String(format: "%.3f", metrics.recall[c]), String(format: "%.3f", metrics.f1[c])]
                        })
        try report.addFigure("confusion", ConfusionMatrixPlot(matrix: metrics.confusion, classNames: outputNames).render(),
                             caption: "Confusion matrix (rows: truth, columns: prediction).")
        try report.addCSV("confusion_matrix.csv", CSVTable(header: ["truth \\ predicted"] + outputNames,
                                                          rows: outputNames.indices.map { t in [outputNames[t]] + metrics.confusion[t].map(String.init) }))
        guard outputNames.count == 2 else { return }
        let scores = probabilities.map { Double($0[1]) }
        let curve = ClassificationMetrics.rocCurve(scores: scores, positives: labels.map { $0 == 1 })
        try report.addFigure("roc", ROCPlot(curves: [.init(name: "\(label)=\(outputNames[1])", points: curve, auc: metrics.rocAUC)]).render(),
                             caption: "ROC curve of '\(outputNames[1])' on the test set.")
        func grid(_ rows: [Int]) throws -> Image {
            let tiles = try rows.map { r -> ImageGrid.Tile in
                let correct = (scores[r] >= 0.5) == (labels[r] == 1)
                return ImageGrid.Tile(image: try results.dataset.example(at: results.indices[kept[r]]).image,
                                      caption: String(format: "%.2f (%d)", scores[r], labels[r]),
                                      border: correct ? RGBColor(red: 0.1, green: 0.6, blue: 0.2) : RGBColor(red: 0.8, green: 0.1, blue: 0.1))
            }
            return try ImageGrid(tiles: tiles, columns: 8, tileSize: 96).render()
        }
        let byScore = scores.indices.sorted { scores[$0] > scores[$1] }
        try report.addFigure("most_confident", grid(Array(byScore.prefix(16))),
                             caption: "The 16 test galaxies with the highest p(\(outputNames[1])); green border: truly \(outputNames[1]).")
        let wrong = scores.indices.filter { (scores[$0] >= 0.5) != (labels[$0] == 1) }
            .sorted { abs(scores[$0] - 0.5) > abs(scores[$1] - 0.5) }
        if !wrong.isEmpty {
            try report.addFigure("worst_mistakes", grid(Array(wrong.prefix(16))),
                                 caption: "The most confident mistakes (caption: p(\(outputNames[1])), truth).")
        }
    }
}
