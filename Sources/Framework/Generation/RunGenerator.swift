/// How a trained generative run synthesises galaxies for `zoorun generate`: the command
/// reads the run's `task.kind` and calls the generator registered for it, so the Runner
/// never names a plugin. A generator writes `request.count` images and a catalog of them
/// under `request.catalog` and returns lines to print.
public protocol RunGenerator {
    /// Task kinds whose runs this generator reads.
    static var taskKinds: [String] { get }
    static func generate(_ request: GenerationRequest) throws -> [String]
}

/// What `zoorun generate` asks of a run.
public struct GenerationRequest {
    /// The run folder and the checkpoint in it to load.
    public var folder: String
    public var checkpoint: String
    /// The run's resolved configuration (`config.yaml`), loaded but not built.
    public var experiment: Experiment
    /// Images to write.
    public var count: Int
    /// The class to generate (conditional runs); nil lets the generator choose.
    public var classIndex: Int?
    /// Output folder: a catalog CSV and its images.
    public var catalog: String
    /// Seeds the latents, so the same request writes the same images.
    public var seed: UInt64

    public init(folder: String, checkpoint: String, experiment: Experiment, count: Int, classIndex: Int?,
                catalog: String, seed: UInt64) {
        self.folder = folder
        self.checkpoint = checkpoint
        self.experiment = experiment
        self.count = count
        self.classIndex = classIndex
        self.catalog = catalog
        self.seed = seed
    }
}
