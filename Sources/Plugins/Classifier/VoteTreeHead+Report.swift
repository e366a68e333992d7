import Foundation
import Framework

/// A vote tree's report section: per question, accuracy on confident galaxies, the mean
/// absolute deviation of predicted vote fractions and their calibration against the
/// volunteers' (a reliability plot and its expected calibration error), as tables, figures
/// and CSVs.
extension VoteTreeHead {
    public func addReportSections(_ results: HeadTestResults, to report: inout RunReport) throws {
        guard let counts = try? results.targets.voteTensor(columns: tree.columnNames) else { return }
        let table = VoteTreeEvaluation(tree: tree, predictions: results.predictions, counts: counts)
        report.addSection("Test set")
        report.addParagraph("Per question, on confident galaxies (one answer > 0.8 of the votes, asked of ≥ half the volunteers), and the mean absolute deviation of predicted vote fractions over the galaxies asked each question.")
        func f(_ x: Double) -> String { x.isNaN ? "–" : String(format: "%.3f", x) }
        let madByQuestion = tree.answerRanges.map { r -> Double in
            let v = table.deviations[r].filter { $0.count > 0 }.map(\.mad)
            return v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
        }
        let ece = table.reliability.map(\.expectedCalibrationError)
        report.addTable(header: ["question", "confident galaxies", "accuracy", "precision", "recall", "F1", "vote-fraction MAD", "calibration error"],
                        rows: table.questions.enumerated().map { q, row in
                            [row.name, "\(row.confidentCount)", f(row.accuracy), f(row.precision), f(row.recall), f(row.f1), f(madByQuestion[q]), f(ece[q])]
                        })
        let names = table.questions.map(\.name)
        try report.addFigure("vote_tree", BarChart(categories: names,
                                                   groups: [.init(name: "accuracy (confident)", values: table.questions.map { $0.accuracy.isNaN ? 0 : $0.accuracy }),
                                                            .init(name: "vote-fraction MAD", values: madByQuestion.map { $0.isNaN ? 0 : $0 })],
                                                   title: "Vote tree: per-question accuracy and mean absolute deviation", yLabel: "").render(),
                             caption: "Per-question accuracy on confident galaxies and mean absolute deviation of vote fractions.")
        let rows = table.questions.enumerated().map { q, row in
            [row.name, "\(row.confidentCount)", "\(row.accuracy)", "\(row.precision)", "\(row.recall)", "\(row.f1)", "\(madByQuestion[q])", "\(ece[q])"]
        }
        try report.addCSV("vote_tree_metrics.csv", CSVTable(header: ["question", "confident", "accuracy", "precision", "recall", "f1", "mad", "calibration_error"], rows: rows))
        try addReliability(table, to: &report)
    }

    /// Predicted against volunteer vote fractions in ten bins: every answer pooled, and each
    /// question with enough galaxies to draw a curve.
    func addReliability(_ table: VoteTreeEvaluation, to report: inout RunReport) throws {
        let pooled = table.pooledReliability
        guard pooled.count > 0 else { return }
        var series = [LinePlot.Series(name: "calibrated", x: [0, 1], y: [0, 1], color: .frame, dash: [4, 4]),
                      LinePlot.Series(name: String(format: "all answers (error %.3f)", pooled.expectedCalibrationError),
                                      x: pooled.bins.map(\.meanPrediction), y: pooled.bins.map(\.meanTarget),
                                      color: .ink, lineWidth: 3, marker: .circle)]
        var csvRows: [[String]] = pooled.bins.map { ["all", "\($0.meanPrediction)", "\($0.meanTarget)", "\($0.count)"] }
        for (q, curve) in table.reliability.enumerated() where curve.count > 0 {
            let name = table.questions[q].name
            csvRows += curve.bins.map { [name, "\($0.meanPrediction)", "\($0.meanTarget)", "\($0.count)"] }
            // A curve of a handful of galaxies is noise; the CSV still has it.
            guard curve.count >= 100 else { continue }
            series.append(LinePlot.Series(name: name, x: curve.bins.map(\.meanPrediction), y: curve.bins.map(\.meanTarget),
                                          color: .series(q), lineWidth: 1.5))
        }
        try report.addFigure("vote_fraction_reliability",
                             LinePlot(series: series, title: "Vote-fraction calibration", xLabel: "predicted vote fraction",
                                      yLabel: "mean volunteer fraction in bin", xRange: 0...1, yRange: 0...1, legend: .above).render(),
                             caption: "Calibration of predicted vote fractions: each answer's predictions binned in tenths, against the mean volunteer fraction of the bin, over the galaxies asked the question (answers pooled in black; questions with ≥ 100 answer predictions in colour). A calibrated model lies on the dashed diagonal; the calibration error is the count-weighted mean gap. Calibration is not accuracy: predicting every galaxy at the average fractions is calibrated too; the MAD column measures the error per galaxy.")
        try report.addCSV("vote_fraction_reliability.csv", CSVTable(header: ["question", "mean_predicted", "mean_volunteer", "count"], rows: csvRows))
    }
}
