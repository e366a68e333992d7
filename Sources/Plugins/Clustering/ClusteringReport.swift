import Foundation
import Framework

/// The outputs every clustering run leaves beside `RunReport`'s summary: `clusters.csv`,
/// cluster sizes, a gallery of the most typical galaxies of each cluster, the scores of
/// every method against every truth label (with contingency tables) and the patch-type maps.
struct ClusteringReport {
    var report: RunReport

    init(experiment: Experiment) { report = RunReport(experiment: experiment) }

    /// `clusters.csv`: id_str, cluster, distance to its centre, second-best cluster.
    mutating func addAssignments(ids: [String], _ a: [ClusterAssignment], name: String = "clusters.csv") throws {
        let table = CSVTable(header: ["id_str", "cluster", "distance", "second_best"],
                             rows: zip(ids, a).map { [$0, String($1.cluster), String(format: "%.5g", $1.distance), String($1.secondBest)] })
        try report.addCSV(name, table)
    }

    mutating func addSizes(_ a: [ClusterAssignment], clusters k: Int, method: String) throws {
        var sizes = [Double](repeating: 0, count: k)
        for x in a { sizes[x.cluster] += 1 }
        let chart = BarChart(categories: (0..<k).map(String.init), groups: [.init(name: method, values: sizes)],
                             title: "Cluster sizes (\(method))", xLabel: "cluster", yLabel: "galaxies",
                             showValues: k <= 16, valueDecimals: 0)
        try report.addFigure("cluster_sizes", chart.render(), caption: "Galaxies per cluster of \(method).")
    }

    /// One row per cluster: its `perCluster` galaxies nearest the centre.
    mutating func addGallery(dataset: any Dataset, indices: [Int], _ a: [ClusterAssignment], clusters k: Int,
                             perCluster: Int, method: String) throws {
        var tiles: [ImageGrid.Tile] = []
        for c in 0..<k {
            let members = a.indices.filter { a[$0].cluster == c }.sorted { a[$0].distance < a[$1].distance }
            for slot in 0..<perCluster {
                if slot < members.count {
                    let r = members[slot]
                    tiles.append(ImageGrid.Tile(image: try dataset.example(at: indices[r]).image,
                                                caption: slot == 0 ? "c\(c): \(members.count)" : String(format: "d %.2f", a[r].distance),
                                                border: RGBColor.series(c)))
                } else {
                    tiles.append(ImageGrid.Tile(image: Image(channels: 3, height: 8, width: 8, pixels: [Float](repeating: 1, count: 192)), caption: ""))
                }
            }
        }
        try report.addFigure("gallery", ImageGrid(tiles: tiles, columns: perCluster, tileSize: 80).render(),
                             caption: "The \(perCluster) most typical galaxies (nearest the centre) of each cluster of \(method), one row per cluster; the first caption gives the cluster and its size (c3: 120).")
    }

    /// The score table (method × label), a bar chart of NMI, and each method's contingency
    /// tables as CSV (the primary method's also in the page).
    mutating func addScores(_ scores: [ClusteringScores], truth: TruthLabels) throws {
        guard !scores.isEmpty, !truth.names.isEmpty else { return }
        report.addSection("Scores against the truth")
        report.addParagraph("Purity, normalised mutual information (NMI) and adjusted Rand index (ARI) of each clustering against each truth label over all \(truth.values.first?.value.count ?? 0) galaxies. The baselines run in the same experiment on the same galaxies.")
        var rows: [[String]] = []
        for s in scores {
            for label in truth.names {
                let m = s.metrics[label]!
                rows.append([s.method, "\(s.clusters)", label, String(format: "%.3f", m.purity),
                             String(format: "%.3f", m.normalizedMutualInformation), String(format: "%.3f", m.adjustedRandIndex)])
            }
        }
        let header = ["method", "clusters", "label", "purity", "NMI", "ARI"]
        report.addTable(header: header, rows: rows)
        try report.addCSV("scores.csv", CSVTable(header: header, rows: rows))
        let groups = scores.map { s in BarChart.Group(name: s.method, values: truth.names.map { s.metrics[$0]!.normalizedMutualInformation }) }
        try report.addFigure("scores_nmi", BarChart(categories: truth.names, groups: groups, title: "NMI against each truth label",
                                                    xLabel: "truth label", yLabel: "NMI", showValues: true).render(),
                             caption: "Normalised mutual information of each method's clusters with each label (higher is better; 0 is chance).")
        for (n, s) in scores.enumerated() {
            for label in truth.names {
                let (classes, counts) = s.contingency[label]!
                let header = ["\(label) \\ cluster"] + (0..<s.clusters).map(String.init)
                let body = classes.indices.map { ["\(classes[$0])"] + counts[$0].map(String.init) }
                try report.addCSV("contingency_\(s.method)_\(label).csv", CSVTable(header: header, rows: body))
                if n == 0 {
                    report.addParagraph("Contingency of \(s.method) against \(label) (rows: true class, columns: cluster).")
                    report.addTable(header: header, rows: body)
                }
            }
        }
    }

    /// Writes metrics.json (the task's numbers and every score), lists the model file, writes
    /// the report and returns the run's summary with a headline of NMI per method and label.
    mutating func finish(experiment: Experiment, metrics base: [String: Double], scores: [ClusteringScores], truth: TruthLabels,
                         describing description: String) throws -> RunSummary {
        let folder = experiment.runFolder
        var metrics = base
        for s in scores { metrics.merge(s.flattened) { a, _ in a } }
        try AtomicFile.write(JSONSerialization.data(withJSONObject: metrics.mapValues { $0.isFinite ? $0 as Any : NSNull() },
                                                    options: [.prettyPrinted, .sortedKeys]), to: "\(folder)/metrics.json")
        report.addFile("metrics.json")
        report.addFile(ClusteringModelFile.relativePath)
        let files = try report.write(describingFiles: description)
        let headline = "\(experiment.config.name): " + scores.map { s in
            "\(s.method) NMI " + truth.names.map { "\($0) \(String(format: "%.3f", s.metrics[$0]!.normalizedMutualInformation))" }.joined(separator: ", ")
        }.joined(separator: "; ") + "\nreport: \(folder)/report.html"
        return RunSummary(metrics: metrics, files: files, headline: headline)
    }
}
