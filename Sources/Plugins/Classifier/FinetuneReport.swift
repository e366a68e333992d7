import Foundation
import Framework

/// The human side of a finetuning run: plots (loss curves, ROC, confusion matrix, the most
/// confident positives and the worst mistakes) as PNGs in `plots/`, and one self-contained
/// `report.html`.
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
        try FileManager.default.createDirectory(atPath: "\(folder)/plots", withIntermediateDirectories: true)
        var files: [String] = []
        var report = HTMLReport(title: "zoorun — \(experiment.config.name)")
        if let d = experiment.config.description { report.addSummary("experiment", d) }
        report.addSummary("data", source.summary)
        report.addSummary("model", "\(type(of: model.encoder)) (\(model.encoder.parameterCount) parameters) + \(type(of: model.head))")
        report.addSummary("epochs", "\(history.count)\(stopReason.map { " (\($0))" } ?? "")")
        report.addSummary("time", String(format: "%.0f s", seconds))
        for key in testMetrics.keys.sorted() {
            report.addSummary(key, String(format: "%.4f", testMetrics[key]!))
        }

        func figure(_ name: String, _ image: Image, caption: String) throws {
            let png = try PNGCodec.encode(image)
            try AtomicFile.write(Data(png), to: "\(folder)/plots/\(name).png")
            files.append("plots/\(name).png")
            report.addFigure(png: png, caption: caption)
        }

        report.addSection("Training")
        let epochs = history.map { $0["epoch"] ?? 0 }
        var series: [LinePlot.Series] = []
        for key in ["train_loss", "val_loss"] where history.contains(where: { $0[key] != nil }) {
            series.append(LinePlot.Series(name: key.replacingOccurrences(of: "_", with: " "), x: epochs,
                                          y: history.map { $0[key] ?? .nan }))
        }
        try figure("loss", LinePlot(series: series, title: "Loss", xLabel: "epoch", yLabel: "loss").render(),
                   caption: "Training and validation loss per epoch.")

        report.addSection("Test set")
        let outputs = model.head.outputNames
        if let label = (model.head as? LinearClassifierHead)?.label, let truth = test.targets.labels[label] {
            let labels = truth.map { Int($0) }
            let metrics = ClassificationMetrics(probabilities: test.mean, labels: labels)
            report.addTable(header: ["class", "precision", "recall", "F1"],
                            rows: outputs.indices.map { c in
                                [outputs[c], String(format: "%.3f", metrics.precision[c]),
                                 String(format: "%.3f", metrics.recall[c]), String(format: "%.3f", metrics.f1[c])]
                            })
            try figure("confusion", ConfusionMatrixPlot(matrix: metrics.confusion, classNames: outputs).render(),
                       caption: "Confusion matrix (rows: truth, columns: prediction).")
            if outputs.count == 2 {
                let scores = test.mean.map { Double($0[1]) }
                let positives = labels.map { $0 == 1 }
                let curve = ClassificationMetrics.rocCurve(scores: scores, positives: positives)
                try figure("roc", ROCPlot(curves: [.init(name: "\(label)=\(outputs[1])", points: curve, auc: metrics.rocAUC)]).render(),
                           caption: "ROC curve of '\(outputs[1])' on the test set.")
                // The most confident positives, and the mistakes made with the most confidence.
                let byScore = scores.indices.sorted { scores[$0] > scores[$1] }
                try figure("most_confident", grid(byScore.prefix(16).map { i in (i, labels[i] == 1) }, scores: scores),
                           caption: "The 16 test galaxies with the highest p(\(outputs[1])); green border: truly \(outputs[1]).")
                let wrong = scores.indices.filter { (scores[$0] >= 0.5) != (labels[$0] == 1) }
                    .sorted { abs(scores[$0] - 0.5) > abs(scores[$1] - 0.5) }
                if !wrong.isEmpty {
                    try figure("worst_mistakes", grid(wrong.prefix(16).map { ($0, false) }, scores: scores),
                               caption: "The most confident mistakes (caption: p(\(outputs[1])), truth).")
                }
            }
        }
        report.addSection("Files")
        report.addParagraph("predictions.csv (one row per test galaxy: probabilities and their spread over \(test.passes.count) MC-dropout passes), metrics.csv / metrics.jsonl (per epoch), test_metrics.json, checkpoints/best.safetensors, config.yaml (the resolved configuration).")
        report.addPreformatted((try? String(contentsOfFile: "\(folder)/config.yaml", encoding: .utf8)) ?? "")
        try report.write(to: "\(folder)/report.html")
        files.append("report.html")
        return files
    }

    /// A grid of test galaxies with their scores, bordered green when correct.
    func grid(_ items: [(index: Int, correct: Bool)], scores: [Double]) throws -> Image {
        let tiles = try items.map { item -> ImageGrid.Tile in
            let example = try source.dataset.example(at: test.indices[item.index])
            let truth = test.targets.labels.values.first?[item.index] ?? .nan
            return ImageGrid.Tile(image: example.image,
                                  caption: String(format: "%.2f (%@)", scores[item.index], truth.isNaN ? "?" : String(Int(truth))),
                                  border: item.correct ? RGBColor(red: 0.1, green: 0.6, blue: 0.2) : RGBColor(red: 0.8, green: 0.1, blue: 0.1))
        }
        return try ImageGrid(tiles: tiles, columns: 8, tileSize: 96).render()
    }
}
