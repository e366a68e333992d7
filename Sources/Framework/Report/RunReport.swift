import Foundation

/// The report every run leaves, whatever its task: a summary table (experiment, data, model,
/// epochs, time, test metrics), the curves of every loss part and validation metric, the
/// task's own sections (figures are written to `plots/` as PNGs and embedded), the list of
/// files and the resolved configuration, as one self-contained `report.html`.
///
/// A task fills it in order: `summary`, `addTrainingCurves`, its sections, then `write`.
public struct RunReport {
    public let folder: String
    public private(set) var html: HTMLReport
    /// Files written so far, relative to the run folder.
    public private(set) var files: [String] = []

    public init(experiment: Experiment, folder: String? = nil) {
        self.folder = folder ?? experiment.runFolder
        html = HTMLReport(title: "zoorun — \(experiment.config.name)")
        if let d = experiment.config.description { html.addSummary("experiment", d) }
    }

    public mutating func addSummary(_ key: String, _ value: String) { html.addSummary(key, value) }

    /// The run's facts: data, model, epochs (and why training stopped), time, and every
    /// test metric to four places.
    public mutating func addRunSummary(data: String, model: String, history: [[String: Double]], stopReason: String?,
                                       seconds: Double, testMetrics: [String: Double]) {
        html.addSummary("data", data)
        html.addSummary("model", model)
        html.addSummary("epochs", "\(history.count)\(stopReason.map { " (\($0))" } ?? "")")
        html.addSummary("time", String(format: "%.0f s", seconds))
        for key in testMetrics.keys.sorted() { html.addSummary(key, String(format: "%.4f", testMetrics[key]!)) }
    }

    public mutating func addSection(_ heading: String) { html.addSection(heading) }
    public mutating func addParagraph(_ text: String) { html.addParagraph(text) }
    public mutating func addTable(header: [String], rows: [[String]]) { html.addTable(header: header, rows: rows) }

    /// Writes `plots/<name>.png` and embeds it with its caption.
    public mutating func addFigure(_ name: String, _ image: Image, caption: String) throws {
        try FileManager.default.createDirectory(atPath: "\(folder)/plots", withIntermediateDirectories: true)
        let png = try PNGCodec.encode(image)
        try AtomicFile.write(Data(png), to: "\(folder)/plots/\(name).png")
        files.append("plots/\(name).png")
        html.addFigure(png: png, caption: caption)
    }

    /// Writes a CSV beside the report and lists it.
    public mutating func addCSV(_ name: String, _ table: CSVTable) throws {
        try table.write(to: "\(folder)/\(name)")
        files.append(name)
    }

    /// Records a file the task wrote itself (predictions, checkpoints), for the Files section.
    public mutating func addFile(_ name: String) { files.append(name) }

    /// A "Training" section: one plot of every loss (`train_loss`, `val_loss` and each named
    /// part, e.g. `train_box_regression`), one of the other validation metrics.
    public mutating func addTrainingCurves(history: [[String: Double]]) throws {
        addSection("Training")
        let epochs = history.map { $0["epoch"] ?? 0 }
        let keys = Set(history.flatMap(\.keys))
        let parts = keys.filter { $0.hasPrefix("train_") }.map { String($0.dropFirst("train_".count)) }
        let losses = keys.filter { k in
            k.hasPrefix("train_") || k == "val_loss" || parts.contains { k == "val_\($0)" }
        }.sorted()
        let metrics = keys.filter { $0.hasPrefix("val_") && !losses.contains($0) }.sorted()
        func series(_ names: [String]) -> [LinePlot.Series] {
            names.map { key in
                LinePlot.Series(name: key.replacingOccurrences(of: "_", with: " "), x: epochs, y: history.map { $0[key] ?? .nan })
            }
        }
        try addFigure("loss", LinePlot(series: series(losses), title: "Loss", xLabel: "epoch", yLabel: "loss").render(),
                      caption: "Training and validation loss per epoch" + (losses.count > 2 ? ", with every part of the loss." : "."))
        if !metrics.isEmpty {
            try addFigure("validation_metrics", LinePlot(series: series(metrics), title: "Validation metrics", xLabel: "epoch", yLabel: "").render(),
                          caption: "Validation metrics per epoch.")
        }
    }

    /// Adds the Files section (with `description`) and the resolved config, writes
    /// `report.html`, and returns every file the report wrote or listed.
    public mutating func write(describingFiles description: String) throws -> [String] {
        html.addSection("Files")
        html.addParagraph(description)
        html.addPreformatted((try? String(contentsOfFile: "\(folder)/config.yaml", encoding: .utf8)) ?? "")
        try html.write(to: "\(folder)/report.html")
        files.append("report.html")
        return files
    }
}
