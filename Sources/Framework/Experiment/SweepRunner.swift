import Foundation
import Yams

/// Runs every cell of an experiment's `sweep:` grid and aggregates the results.
///
/// ```yaml
/// sweep:
///   data.max_labels: [50, 100, 200, all]
///   backbone.pretrained: [gz, none]
///   seed: [0, 1, 2, 3, 4]
/// ```
/// Each cell is the experiment with those `--set` overrides, run in its own folder; `seed`
/// is the replicate axis: the table reports mean ± std over seeds for every other
/// combination.
public struct SweepRunner {
    public let experiment: Experiment
    public let overrides: [String]

    public init(experiment: Experiment, overrides: [String]) {
        self.experiment = experiment
        self.overrides = overrides
    }

    /// The grid's axes in file order: (key path, values as YAML text).
    public func axes() throws -> [(key: String, values: [String])] {
        guard let sweep = experiment.config.sweep else { return [] }
        guard case let .mapping(m) = sweep.node else {
            throw sweep.source.error(at: sweep.node.mark, "sweep: expected a mapping of key.path: [values]")
        }
        return try m.map { k, v in
            guard let key = k.string else { throw sweep.source.error(at: k.mark, "sweep: keys must be strings") }
            guard case let .sequence(s) = v, !s.isEmpty else {
                throw sweep.source.error(at: v.mark, "sweep '\(key)': expected a non-empty list of values")
            }
            return (key, try s.map { try Yams.serialize(node: $0).trimmingCharacters(in: .whitespacesAndNewlines) })
        }
    }

    /// Every combination, as override lists, in row-major order of the axes.
    public func cells() throws -> [[(String, String)]] {
        var result: [[(String, String)]] = [[]]
        for (key, values) in try axes() {
            result = result.flatMap { prefix in values.map { prefix + [(key, $0)] } }
        }
        return result
    }

    public func run() throws -> RunSummary {
        let cells = try cells()
        var rows: [(cell: [(String, String)], metrics: [String: Double])] = []
        let fm = FileManager.default
        try fm.createDirectory(atPath: experiment.runFolder, withIntermediateDirectories: true)
        try experiment.saveResolvedConfig()
        for (i, cell) in cells.enumerated() {
            let label = cell.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
            let folder = "\(experiment.runFolder)/cells/" + cell.map { "\($0.0)=\($0.1)" }.joined(separator: "_")
                .replacingOccurrences(of: "/", with: "-")
            FileHandle.standardError.write(Data("[sweep \(i + 1)/\(cells.count)] \(label)\n".utf8))
            let sets = overrides + cell.map { "\($0.0)=\($0.1)" } + ["sweep=null"]
            let cellExperiment = try Experiment.load(path: experiment.source.file, overrides: sets,
                                                     registry: experiment.registry, runFolder: folder,
                                                     resume: true, cancellation: experiment.cancellation)
            let done = "\(folder)/summary.json"
            var metrics: [String: Double]
            if let data = fm.contents(atPath: done),
               let saved = try? JSONDecoder().decode([String: Double].self, from: data) {
                metrics = saved  // finished in an earlier invocation: resume the sweep
            } else {
                let task: any ExperimentTask = try cellExperiment.registry.make(.task, from: cellExperiment.config.task,
                                                                              context: cellExperiment.context())
                try cellExperiment.saveResolvedConfig()
                metrics = try task.run(cellExperiment).metrics
                try AtomicFile.write(JSONEncoder().encode(metrics), to: done)
            }
            rows.append((cell, metrics))
        }
        return try SweepTable(rows: rows, folder: experiment.runFolder).write()
    }
}
