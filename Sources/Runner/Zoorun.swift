import ArgumentParser
import Framework

@main
struct Zoorun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zoorun",
        abstract: "Galaxy-morphology experiments from one YAML file, on a CPU.",
        discussion: """
        Run an experiment:   zoorun experiments/rings.yaml
        Measure the engine:  zoorun bench
        """,
        // One line per command; each lives in Commands/<Name>Command.swift.
        subcommands: [
            RunCommand.self,
            GenerateCommand.self,
            ValidateCommand.self,
            ListCommand.self,
            WeightsCommand.self,
            InspectCommand.self,
            BenchCommand.self,
            SimulateCommand.self,
            PredictCommand.self,
            EmbedCommand.self,
            SimilarCommand.self,
            LoopCommand.self,
        ],
        defaultSubcommand: RunCommand.self
    )
}
