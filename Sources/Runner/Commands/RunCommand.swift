import ArgumentParser
import Foundation
import Framework

/// `zoorun FILE.yaml` / `zoorun run FILE.yaml`: run an experiment (or every cell of its sweep).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment file (the default command: `zoorun FILE.yaml`).",
        discussion: """
        Writes into runs/<name>/ (or --out): the resolved config, metrics.jsonl and
        metrics.csv, checkpoints, predictions.csv, plots/*.png and report.html.
        The folder must be new, empty, or an earlier zoorun run (marked .zoorun-run);
        an earlier run is refused unless --resume continues it or --overwrite deletes
        and replaces it. While the run lives, a second zoorun on the folder is refused.
        Examples:
          zoorun experiments/rings.yaml
          zoorun experiments/rings.yaml --set training.epochs=5 --set data.catalog=../shared/data/gz-rings/catalog.csv
          zoorun experiments/rings.yaml --resume      continue a killed run from its last checkpoint
          zoorun experiments/rings.yaml --overwrite   start again, deleting the earlier run's files
        Ctrl-C saves the last finished epoch and exits; rerun with --resume to continue.
        """
    )

    @Argument(help: "The experiment YAML file.")
    var file: String

    @Option(name: .customLong("set"), help: "Override a config value: key.path=value (repeatable).")
    var overrides: [String] = []

    @Option(help: "Run folder (default: runs/<name>).")
    var out: String?

    @Flag(help: "Continue the run in the folder from its last checkpoint (a sweep: its unfinished cells).")
    var resume = false

    @Flag(help: "Delete the earlier run in the folder and start again.")
    var overwrite = false

    func validate() throws {
        if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other") }
    }

    func run() throws {
        let cancellation = CancellationFlag()
        Interrupts.install(cancellation)
        do {
            let experiment = try Experiment.load(path: file, overrides: overrides, registry: makeRegistry(),
                                                 runFolder: out, resume: resume, cancellation: cancellation)
            let folder = try OutputFolder.claim(experiment.runFolder, kind: .run,
                                                existing: overwrite ? .overwrite : resume ? .resume : .refuse)
            defer { folder.release() }
            if experiment.config.sweep != nil {
                let summary = try SweepRunner(experiment: experiment, overrides: overrides).run()
                print(summary.headline)
            } else {
                let task: any ExperimentTask = try experiment.registry.make(.task, from: experiment.config.task,
                                                                          context: experiment.context())
                try experiment.saveResolvedConfig()
                let summary = try task.run(experiment)
                print(summary.headline)
            }
        } catch let e as ConfigError {
            throw CleanExit.failure(e.description)
        } catch let e as TrainingError {
            throw CleanExit.failure("zoorun: \(e)")
        } catch let e as OutputError {
            throw CleanExit.failure(e.description)
        }
    }
}
