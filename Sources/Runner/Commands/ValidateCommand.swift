import ArgumentParser
import Framework

/// `zoorun validate FILE.yaml`: decode and build everything without training.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check an experiment file: every key, kind and value, and that its data can be read.",
        discussion: "Errors are reported as FILE:LINE:COL: error: … with the offending line. Exit status 0 means the run would start."
    )

    @Argument(help: "The experiment YAML file.")
    var file: String

    @Option(name: .customLong("set"), help: "Override a config value: key.path=value (repeatable).")
    var overrides: [String] = []

    func run() throws {
        do {
            // Every error the sections hold, together; then build, which finds the rest.
            let experiment = try Experiment.check(path: file, overrides: overrides, registry: makeRegistry())
            let task: any ExperimentTask = try experiment.registry.make(.task, from: experiment.config.task,
                                                                      context: experiment.context())
            for line in try task.validate(experiment) { print(line) }
            print("\(file): ok")
        } catch let e as ConfigError {
            throw CleanExit.failure(e.description)
        } catch let e as ConfigErrors {
            throw CleanExit.failure(e.description)
        }
    }
}
