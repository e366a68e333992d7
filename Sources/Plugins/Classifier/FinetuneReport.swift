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
            let confusionRows = outputs.indices.map { t in [outputs[t]] + metrics.confusion[t].map(String.init) }
            try CSVTable(header: ["truth \\ predicted"] + outputs, rows: confusionRows).write(to: "\(folder)/confusion_matrix.csv")
            files.append("confusion_matrix.csv")
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
        if let voteHead = model.head as? VoteTreeHead, let counts = try? test.targets.voteTensor(columns: voteHead.tree.columnNames) {
            let table = VoteTreeEvaluation(tree: voteHead.tree, predictions: test.mean, counts: counts)
            report.addParagraph("Per question, on confident galaxies (one answer > 0.8 of the votes, asked of ≥ half the volunteers), and the mean absolute deviation of predicted vote fractions over the galaxies asked each question.")
            func f(_ x: Double) -> String { x.isNaN ? "–" : String(format: "%.3f", x) }
            let madByQuestion = voteHead.tree.answerRanges.map { r -> Double in
                let v = table.deviations[r].filter { $0.count > 0 }.map(\.mad)
                return v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
            }
            report.addTable(header: ["question", "confident galaxies", "accuracy", "precision", "recall", "F1", "vote-fraction MAD"],
                            rows: table.questions.enumerated().map { q, row in
                                [row.name, "\(row.confidentCount)", f(row.accuracy), f(row.precision), f(row.recall), f(row.f1), f(madByQuestion[q])]
                            })
            let names = table.questions.map(\.name)
            try figure("vote_tree", BarChart(categories: names,
                                             groups: [.init(name: "accuracy (confident)", values: table.questions.map { $0.accuracy.isNaN ? 0 : $0.accuracy }),
                                                      .init(name: "vote-fraction MAD", values: madByQuestion.map { $0.isNaN ? 0 : $0 })],
                                             title: "Vote tree: per-question accuracy and mean absolute deviation", yLabel: "").render(),
                       caption: "Per-question accuracy on confident galaxies and mean absolute deviation of vote fractions.")
            var csv = "question,confident,accuracy,precision,recall,f1,mad\n"
            for (q, row) in table.questions.enumerated() {
                csv += "\(row.name),\(row.confidentCount),\(row.accuracy),\(row.precision),\(row.recall),\(row.f1),\(madByQuestion[q])\n"
            }
            try AtomicFile.write(csv, to: "\(folder)/vote_tree_metrics.csv")
            files.append("vote_tree_metrics.csv")
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
            let label = (model.head as? LinearClassifierHead)?.label ?? ""
            let truth = test.targets.labels[label]?[item.index] ?? .nan
            return ImageGrid.Tile(image: example.image,
                                  caption: String(format: "%.2f (%@)", scores[item.index], truth.isNaN ? "?" : String(Int(truth))),
                                  border: item.correct ? RGBColor(red: 0.1, green: 0.6, blue: 0.2) : RGBColor(red: 0.8, green: 0.1, blue: 0.1))
        }
        return try ImageGrid(tiles: tiles, columns: 8, tileSize: 96).render()
    }
}
