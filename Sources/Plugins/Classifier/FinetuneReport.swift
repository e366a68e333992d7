import Foundation
import Framework

/// The human side of a finetuning run: the framework's report skeleton (summary, loss and
/// metric curves, files, config) with the head's own test-set sections.
struct FinetuneReport {
    let experiment: Experiment
    let source: DataSource
    let model: ClassifierModel
    let history: [[String: Double]]
    let test: Evaluation
    let testMetrics: [String: Double]
    let seconds: Double
    let stopReason: String?

    /// Writes the plots and the report; returns their paths relative to the run folder.
    func write(to folder: String) throws -> [String] {
        var report = RunReport(experiment: experiment, folder: folder)
        report.addRunSummary(data: source.summary,
                             model: "\(type(of: model.encoder)) (\(model.encoder.parameterCount) parameters) + \(type(of: model.head))",
                             history: history, stopReason: stopReason, seconds: seconds, testMetrics: testMetrics)
        try report.addTrainingCurves(history: history)
        try model.head.addReportSections(HeadTestResults(predictions: test.mean, targets: test.targets, indices: test.indices,
                                                         dataset: source.dataset), to: &report)
        return try report.write(describingFiles: "predictions.csv (one row per test galaxy: predictions and their spread over \(test.passes.count) MC-dropout passes), metrics.csv / metrics.jsonl (per epoch), test_metrics.json, checkpoints/best.safetensors, config.yaml (the resolved configuration).")
    }
}
