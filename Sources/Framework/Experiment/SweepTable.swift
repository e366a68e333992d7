import Foundation

/// Aggregates sweep cells over the `seed` axis: mean ± std of every metric for each
/// combination of the other axes, written as `sweep.csv` and `sweep.md`.
public struct SweepTable {
    public let rows: [(cell: [(String, String)], metrics: [String: Double])]
    public let folder: String

    public init(rows: [(cell: [(String, String)], metrics: [String: Double])], folder: String) {
        self.rows = rows
        self.folder = folder
    }

    /// Groups by every axis except `seed`; returns (group label values, metric → [values]).
    public func groups() -> [(key: [(String, String)], values: [String: [Double]])] {
        var order: [String] = []
        var groups: [String: ([(String, String)], [String: [Double]])] = [:]
        for (cell, metrics) in rows {
            let key = cell.filter { $0.0 != "seed" }
            let id = key.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
            if groups[id] == nil { order.append(id); groups[id] = (key, [:]) }
            for (m, v) in metrics { groups[id]!.1[m, default: []].append(v) }
        }
        return order.map { (groups[$0]!.0, groups[$0]!.1) }
    }

    public static func meanStd(_ xs: [Double]) -> (mean: Double, std: Double) {
        let m = xs.reduce(0, +) / Double(max(1, xs.count))
        let v = xs.count > 1 ? xs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(xs.count - 1) : 0
        return (m, v.squareRoot())
    }

    /// Plots the headline metric (test accuracy, else the first test metric) against the
    /// first axis whose values are numbers (`null`/`all` drawn at the largest count seen),
    /// one line with a ±1 std band per combination of the other axes.
    func writePlot(groups gs: [(key: [(String, String)], values: [String: [Double]])], metrics: [String]) throws -> Bool {
        guard let first = gs.first else { return false }
        let axes = first.key.map(\.0)
        guard let xAxis = axes.firstIndex(where: { a in gs.contains { Double($0.key.first { $0.0 == a }!.1) != nil } }) else { return false }
        guard let metric = metrics.first(where: { $0 == "test_accuracy" }) ?? metrics.first(where: { $0.hasPrefix("test_") }) else { return false }
        let numeric = gs.compactMap { Double($0.key[xAxis].1) }
        let fallback = (numeric.max() ?? 0) * 1.5
        var series: [String: [(x: Double, mean: Double, std: Double)]] = [:]
        var order: [String] = []
        for g in gs {
            let x = Double(g.key[xAxis].1) ?? fallback
            let label = g.key.enumerated().filter { $0.offset != xAxis }.map { "\($0.element.0)=\($0.element.1)" }.joined(separator: ", ")
            let (m, sd) = Self.meanStd(g.values[metric] ?? [])
            if series[label] == nil { order.append(label) }
            series[label, default: []].append((x, m, sd))
        }
        let plot = LinePlot(series: order.map { name in
            let pts = series[name]!.sorted { $0.x < $1.x }
            return LinePlot.Series(name: name.isEmpty ? metric : name, x: pts.map(\.x), mean: pts.map(\.mean), std: pts.map(\.std))
        }, title: "\(metric) (mean ± std over seeds)", xLabel: axes[xAxis], yLabel: metric)
        try PNGCodec.write(plot.render(), to: "\(folder)/sweep.png")
        return true
    }

    /// Writes sweep.csv (one row per group: axes, n, mean and std of each metric) and a
    /// Markdown table; returns a summary.
    public func write() throws -> RunSummary {
        let gs = groups()
        let axes = gs.first?.key.map(\.0) ?? []
        let metricNames = Set(gs.flatMap { $0.values.keys }).sorted()
        var csv = (axes + ["n"] + metricNames.flatMap { ["\($0)_mean", "\($0)_std"] }).joined(separator: ",") + "\n"
        var md = "| " + (axes + ["n"] + metricNames).joined(separator: " | ") + " |\n"
        md += "|" + String(repeating: "---|", count: axes.count + 1 + metricNames.count) + "\n"
        for g in gs {
            let n = g.values.values.map(\.count).max() ?? 0
            var cells = g.key.map(\.1) + ["\(n)"]
            var mdCells = g.key.map(\.1) + ["\(n)"]
            for m in metricNames {
                let (mean, std) = Self.meanStd(g.values[m] ?? [])
                cells += [String(mean), String(std)]
                mdCells.append(String(format: "%.3f ± %.3f", mean, std))
            }
            csv += cells.joined(separator: ",") + "\n"
            md += "| " + mdCells.joined(separator: " | ") + " |\n"
        }
        try AtomicFile.write(csv, to: "\(folder)/sweep.csv")
        try AtomicFile.write(md, to: "\(folder)/sweep.md")
        var files = ["sweep.csv", "sweep.md"]
        if try writePlot(groups: gs, metrics: metricNames) { files.append("sweep.png") }
        return RunSummary(metrics: [:], files: files,
                          headline: "sweep of \(rows.count) runs in \(gs.count) groups → \(folder)/sweep.md\n\n\(md)")
    }
}
