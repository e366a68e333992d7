import Foundation
import Framework

/// Learning curves (test accuracy against labels, mean ± std over seeds) per acquisition
/// function, and the labels each needs to reach random's final accuracy — the paper's
/// "35–60 % fewer labels".
struct AcquisitionComparisonReport {
    let rows: [[String]]
    let folder: String
    let experiment: Experiment

    func write() throws -> RunSummary {
        // method → labels → [accuracy over seeds]
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
        let png = try PNGCodec.encode(LinePlot(series: series, title: "Test accuracy against labels (mean ± std over seeds)",
                                              xLabel: "labels", yLabel: "test accuracy").render())
        try AtomicFile.write(Data(png), to: "\(folder)/plots/learning_curves.png")
        // Labels needed to reach random's final mean accuracy.
        var savings: [[String]] = []
        if let random = curves["random"], let last = random.keys.max() {
            let target = SweepTable.meanStd(random[last]!).mean
            for m in methods {
                let xs = curves[m]!.keys.sorted()
                let reach = xs.first { SweepTable.meanStd(curves[m]![$0]!).mean >= target }
                savings.append([m, String(format: "%.3f", target), reach.map(String.init) ?? "not reached",
                                reach.map { String(format: "%.0f %%", 100 * (1 - Double($0) / Double(last))) } ?? "–"])
            }
        }
        try CSVTable(header: ["acquisition", "random_final_accuracy", "labels_to_reach_it", "labels_saved"], rows: savings)
            .write(to: "\(folder)/label_savings.csv")
        var report = HTMLReport(title: "zoorun — \(experiment.config.name)")
        report.addSummary("acquisitions", methods.joined(separator: ", "))
        report.addSection("Learning curves")
        report.addFigure(png: png, caption: "Test accuracy against the number of labels; bands are ±1 std over seeds.")
        report.addSection("Labels needed to reach random's final accuracy")
        report.addTable(header: ["acquisition", "random's final accuracy", "labels to reach it", "labels saved"], rows: savings)
        try report.write(to: "\(folder)/report.html")
        let md = savings.map { "| \($0.joined(separator: " | ")) |" }.joined(separator: "\n")
        return RunSummary(metrics: [:], files: ["learning_curves.csv", "plots/learning_curves.png", "label_savings.csv", "report.html"],
                          headline: "| acquisition | random's final accuracy | labels to reach it | saved |\n|---|---|---|---|\n\(md)\nreport: \(folder)/report.html")
    }
}
