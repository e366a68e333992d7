import ArgumentParser
import Foundation
import Framework

/// `zoorun embed`: pooled representations of a catalog's galaxies (eval mode).
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Write each galaxy's pooled representation (eval mode) to a CSV, for similarity search and clustering.",
        discussion: """
          zoorun embed --checkpoint runs/rings --catalog galaxies.csv --out embeddings.csv
          zoorun embed --backbone convnext_nano --weights zoobot-encoder.safetensors --catalog galaxies.csv --out e.csv
        Then: zoorun similar --embeddings embeddings.csv --id J000411.19+020924.0 --k 1000
        """
    )

    @Option(help: "A trained run folder or checkpoint.") var checkpoint: String?
    @Option(help: "A backbone kind (see `zoorun list backbone`), with --weights.") var backbone: String?
    @Option(help: "safetensors weights for --backbone (timm keys).") var weights: String?
    @Option(help: "CSV catalog with id_str and file_loc.") var catalog: String
    @Option(help: "Output CSV: id_str, e0, e1, …") var out: String = "embeddings.csv"
    @Option(help: "Image side the encoder expects (default: the run's, or 64).") var imageSize: Int?
    @Flag(help: "Replace an existing --out file.") var overwrite = false

    func validate() throws {
        guard (checkpoint != nil) != (backbone != nil) else {
            throw ValidationError("give either --checkpoint RUN or --backbone NAME --weights FILE")
        }
    }

    func run() throws {
        do {
            try OutputFile.check(out, overwrite: overwrite)
            // A trained run embeds through its model, so its input standardisation applies.
            let embedder: any Embedder
            var size = imageSize ?? 64
            let registry = makeRegistry()
            if let checkpoint {
                let run = try RunFolder(path: checkpoint, registry: registry)
                guard let e = try registry.predictor(for: run).embedder(run) else {
                    throw CleanExit.failure("zoorun embed: runs of task '\(run.taskKind)' have no encoder to embed with")
                }
                embedder = e
                size = imageSize ?? run.imageSize
            } else {
                let yaml = "kind: \(backbone!)\npretrained: \(weights ?? "none")\n"
                let node = ConfigNode(node: try ConfigDecoder.parse(yaml, file: "--backbone"), source: ConfigSource(file: "--backbone", text: yaml))
                let encoder: any Backbone = try registry.make(.backbone, from: node, context: ComponentContext(seed: 0, registry: registry,
                                                                                          baseFolder: FileManager.default.currentDirectoryPath))
                embedder = encoder
            }
            let dataset = try CatalogDataset(catalog: catalog, options: CatalogOptions(imageSize: size))
            let embedding = try DatasetEmbedding(embedder, dataset: dataset, progress: "zoorun embed")
            try embedding.writeCSV(to: out)
            print("wrote \(out): \(embedding.rows.count) galaxies × \(embedding.width) dimensions")
        } catch let e as ConfigError {
            throw CleanExit.failure(e.description)
        } catch let e as OutputError {
            throw CleanExit.failure(e.description)
        }
    }
}
