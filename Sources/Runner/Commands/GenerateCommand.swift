import ArgumentParser
import Framework

/// `zoorun generate`: synthetic galaxies from a trained generative run, as a catalog.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write synthetic galaxies from a trained generative run (e.g. a gan run) as a catalog.",
        discussion: """
          zoorun generate --checkpoint runs/gan --n 500 --catalog synthetic/
        writes synthetic/images/*.png and synthetic/catalog.csv (id_str, file_loc, synthetic, and the
        class column of a conditional run), readable by any experiment as data: {kind: catalog}.
        The folder must be new, empty or an earlier zoorun catalog (replaced only with
        --overwrite).
        """
    )

    @Option(help: "The run folder (its config.yaml and checkpoints/last.safetensors).") var checkpoint: String
    @Option(help: "Number of images.") var n: Int
    @Option(name: .customLong("class"), help: "Class index to generate (class-conditional runs).") var classIndex: Int?
    @Option(help: "Output folder for the images and catalog.csv.") var catalog: String
    @Option(help: "Seed of the latents.") var seed: UInt64 = 0
    @Flag(help: "Replace an earlier catalog in the folder.") var overwrite = false

    func run() throws {
        do {
            let folder = try OutputFolder.claim(catalog, kind: .catalog, existing: overwrite ? .overwrite : .refuse, option: "--catalog")
            defer { folder.release() }
            for line in try makeRegistry().generate(run: checkpoint, count: n, classIndex: classIndex, catalog: catalog, seed: seed) {
                print(line)
            }
        } catch let e as ConfigError {
            throw CleanExit.failure(e.description)
        } catch let e as OutputError {
            throw CleanExit.failure(e.description)
        }
    }
}
