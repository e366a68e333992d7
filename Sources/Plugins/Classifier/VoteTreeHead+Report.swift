import Foundation
import Framework

/// A vote tree's report section: per question, accuracy on confident galaxies and the mean
/// absolute deviation of predicted vote fractions, as a table, a bar chart and a CSV.
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
        report.addTable(header: ["question", "confident galaxies", "accuracy", "precision", "recall", "F1", "vote-fraction MAD"],
                        rows: table.questions.enumerated().map { q, row in
                            [row.name, "\(row.confidentCount)", f(row.accuracy), f(row.precision), f(row.recall), f(row.f1), f(madByQuestion[q])]
                        })
        let names = table.questions.map(\.name)
        try report.addFigure("vote_tree", BarChart(categories: names,
                                                   groups: [.init(name: "accuracy (confident)", values: table.questions.map { $0.accuracy.isNaN ? 0 : $0.accuracy }),
                                                            .init(name: "vote-fraction MAD", values: madByQuestion.map { $0.isNaN ? 0 : $0 })],
                                                   title: "Vote tree: per-question accuracy and mean absolute deviation", yLabel: "").render(),
                             caption: "Per-question accuracy on confident galaxies and mean absolute deviation of vote fractions.")
        let rows = table.questions.enumerated().map { q, row in
            [row.name, "\(row.confidentCount)", "\(row.accuracy)", "\(row.precision)", "\(row.recall)", "\(row.f1)", "\(madByQuestion[q])"]
        }
        try report.addCSV("vote_tree_metrics.csv", CSVTable(header: ["question", "confident", "accuracy", "precision", "recall", "f1", "mad"], rows: rows))
    }
}
