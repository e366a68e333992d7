import Foundation
import Framework

/// A regressor's report section: predicted against true values on the test set.
extension RegressorHead {
    public func addReportSections(_ results: HeadTestResults, to report: inout RunReport) throws {
        guard let truth = results.targets.labels[label] else { return }
        let kept = truth.indices.filter { truth[$0].isFinite }
        guard !kept.isEmpty else { return }
        report.addSection("Test set")
        let x = kept.map { Double(truth[$0]) }, y = kept.map { Double(results.predictions[$0][0]) }
        try report.addFigure("predicted_vs_true", ScatterPlot(groups: [.init(name: label, x: x, y: y)], title: "Predicted against true \(label)",
                                                              xLabel: "true", yLabel: "predicted", identityLine: true).render(),
                             caption: "Each test galaxy's predicted \(label) against its true value; the dashed line is a perfect prediction.")
    }
}
