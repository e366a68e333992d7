import ArgumentParser
import Foundation
import Framework

/// `zoorun loop FILE.yaml`: advance the weekly volunteer loop as far as it can go.
struct LoopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loop",
        abstract: "Run the weekly volunteer loop: predict the pool, queue unconfident galaxies, import labels or votes, retrain.",
        discussion: """
        State lives in the loop folder (runs/<name>-loop or --out): state.json, the append-only
        labels.jsonl, models/, predictions-<round>.csv and queue-<round>.csv. Each week:
          zoorun loop experiments/loop.yaml                          first run: initial model, queue-0.csv
          zoorun loop experiments/loop.yaml --import returned.csv    import labels, retrain, next queue
        An import (columns id_str,label; for a vote-tree head id_str and one vote-count column per
        answer of the tree) is checked whole first; a bad row refuses it all.
        Killed at any point, rerun the same command: nothing is lost or imported twice.
        The loop always continues its own folder; --overwrite deletes it and starts
        a new loop. A folder holding other files or another command's run is refused,
        and so is a second zoorun loop on the folder while one is running.
        See docs/volunteer-loop.md.
        """
    )

    @Argument(help: "The loop's experiment YAML (task kind volunteer-loop).") var file: String
    @Option(name: .customLong("import"), help: "CSV of volunteer answers to import (id_str,label; or id_str and vote counts per question_answer for a vote tree).") var importFile: String?
    @Option(name: .customLong("set"), help: "Override a config value: key.path=value (repeatable).") var overrides: [String] = []
    @Option(help: "Loop folder (default: runs/<name>-loop).") var out: String?
    @Flag(help: "Delete the loop folder's state, labels and models and start a new loop.") var overwrite = false

    func run() throws {
        let cancellation = CancellationFlag()
        Interrupts.install(cancellation)
        do {
            let registry = makeRegistry()
            let probe = try Experiment.load(path: file, overrides: overrides, registry: registry)
            let experiment = try Experiment.load(path: file, overrides: overrides, registry: registry,
                                                 runFolder: out ?? "runs/\(probe.config.name)-loop", cancellation: cancellation)
            let folder = try OutputFolder.claim(experiment.runFolder, kind: .loop, existing: overwrite ? .overwrite : .resume)
            defer { folder.release() }
            let task: any ExperimentTask = try registry.make(.task, from: experiment.config.task, context: experiment.context())
            guard let stepped = task as? any SteppedTask else {
                throw ValidationError("\(file): `zoorun loop` needs a task that advances in steps, such as `task: {kind: volunteer-loop}`")
            }
            try experiment.saveResolvedConfig()
            for line in try stepped.advance(experiment, importing: importFile) { print(line) }
            print("loop folder: \(experiment.runFolder)")
        } catch let e as ConfigError {
            throw CleanExit.failure(e.description)
        } catch let e as TrainingError {
            throw CleanExit.failure("zoorun: \(e)")
        } catch let e as OutputError {
            throw CleanExit.failure(e.description)
        }
    }
}
