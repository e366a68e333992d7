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

        Run folders: zoorun writes only into a new or empty folder or one it made
        (marked .zoorun-run); others are refused untouched. An earlier run is refused
        unless --resume continues it or --overwrite deletes and replaces it (zoorun
        loop always continues its own). A folder in use by another zoorun is refused,
        naming its pid and command; the lock dies with its process. Single output
        files are replaced only with --overwrite.
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
