import Foundation
import Framework

/// Learning curves (the test metric against labels, mean ± std over seeds) per acquisition
/// function, and the labels each needs to reach random's final value — the paper's "35–60 %
/// fewer labels" — in the metric's direction (lower is better for a vote-fraction MAD).
struct AcquisitionComparisonReport {
    let rows: [[String]]
    let metric: LearningCurveMetric
    let folder: String
    let experiment: Experiment

    func write() throws -> RunSummary {
        // method → labels → [metric over seeds]
        var curves: [String: [Int: [Double]]] = [:]
        var methods: [String] = []
        for r in rows {
            guard r.count >= 5, let labels = Int(r[3]), let acc = Double(r[4]) else { continue }
            if curves[r[0]] == nil { methods.append(r[0]) }
            curves[r[0], default: [:]][labels, default: []].append(acc)
        }
        let series = methods.map { m -> LinePlot.Series in
            let xs = curves[m]!.keys.sorted()
            let stats = xs.map { SweepTable.meanStd(curves[m]![$0]!) }
            return LinePlot.Series(name: m, x: xs.map(Double.init), mean: stats.map(\.mean), std: stats.map(\.std))
        }
        try FileManager.default.createDirectory(atPath: "\(folder)/plots", withIntermediateDirectories: true)
        let png = try PNGCodec.encode(LinePlot(series: series, title: "\(metric.name) vs labels (\(metric.direction))",
                                              xLabel: "labels", yLabel: metric.name).render())
        try AtomicFile.write(Data(png), to: "\(folder)/plots/learning_curves.png")
        // Labels needed to reach random's final mean value, in the metric's direction.
        var savings: [[String]] = []
        if let random = curves["random"], let last = random.keys.max() {
            let target = SweepTable.meanStd(random[last]!).mean
            for m in methods {
                let xs = curves[m]!.keys.sorted()
                let reach = xs.first { metric.reaches(SweepTable.meanStd(curves[m]![$0]!).mean, target) }
                savings.append([m, metric.name, metric.direction, String(format: "%.4f", target), reach.map(String.init) ?? "not reached",
                                reach.map { String(format: "%.0f %%", 100 * (1 - Double($0) / Double(last))) } ?? "–"])
            }
        }
        try CSVTable(header: ["acquisition", "metric", "direction", "random_final_value", "labels_to_reach_it", "labels_saved"], rows: savings)
            .write(to: "\(folder)/label_savings.csv")
        var report = HTMLReport(title: "zoorun — \(experiment.config.name)")
        report.addSummary("acquisitions", methods.joined(separator: ", "))
        report.addSection("Learning curves")
        report.addFigure(png: png, caption: "\(metric.name) on the fixed test split against the number of labels (\(metric.direction)); bands are ±1 std over seeds.")
        report.addSection("Labels needed to reach random's final \(metric.name)")
        report.addTable(header: ["acquisition", "metric", "direction", "random's final value", "labels to reach it", "labels saved"], rows: savings)
        try report.write(to: "\(folder)/report.html")
        let md = savings.map { "| \($0.joined(separator: " | ")) |" }.joined(separator: "\n")
        return RunSummary(metrics: [:], files: ["learning_curves.csv", "plots/learning_curves.png", "label_savings.csv", "report.html"],
                          headline: "| acquisition | metric | direction | random's final value | labels to reach it | saved |\n|---|---|---|---|---|---|\n\(md)\nreport: \(folder)/report.html")
    }
}
