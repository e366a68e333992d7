import Foundation

/// The generators `zoorun generate` dispatches to, by the run's task kind.
extension Registry {
    /// Registers a generator for every kind in `G.taskKinds`; a kind registered twice is a
    /// programming error.
    public func register<G: RunGenerator>(generator: G.Type, plugin: String) {
        for kind in G.taskKinds {
            precondition(generators[kind] == nil, "Registry: a generator for task '\(kind)' is registered twice")
            generators[kind] = (G.self, plugin)
        }
    }

    /// The generator of runs of task `kind`; the error names the kinds that have one.
    public func generator(forTask kind: String) throws -> any RunGenerator.Type {
        guard let g = generators[kind] else {
            let known = generators.keys.sorted()
            throw ConfigError(file: "task", message: "runs of task '\(kind)' cannot generate images; task kinds that can: \(known.isEmpty ? "none" : known.joined(separator: ", "))")
        }
        return g.type
    }

    /// Loads the run in `folder` (its `config.yaml`, not built) and asks its task's generator
    /// for `count` images written as a catalog under `catalog`.
    public func generate(run folder: String, count: Int, classIndex: Int?, catalog: String, seed: UInt64 = 0) throws -> [String] {
        let config = "\(folder)/config.yaml", checkpoint = "\(folder)/checkpoints/last.safetensors"
        for path in [config, checkpoint] where !FileManager.default.fileExists(atPath: path) {
            throw ConfigError(file: path, message: "not found: --checkpoint must be a finished or interrupted run folder")
        }
        guard count >= 1 else { throw ConfigError(file: "--n", message: "the number of images must be ≥ 1, got \(count)") }
        let experiment = try Experiment.load(path: config, registry: self, runFolder: folder)
        guard let kind = experiment.config.task.string("kind") else {
            throw ConfigError(file: config, message: "the run's config has no task.kind")
        }
        return try generator(forTask: kind).generate(GenerationRequest(folder: folder, checkpoint: checkpoint, experiment: experiment,
                                                                       count: count, classIndex: classIndex, catalog: catalog, seed: seed))
    }
}
