import Foundation
import Framework

/// `zoorun generate` for gan runs: rebuilds the generator from the run's config and last
/// checkpoint and writes `count` samples (evaluation-mode BatchNorm) as a synthetic catalog.
/// A conditional run writes class `--class`, or cycles through its classes; a run trained
/// on one class (`only_class`) labels its images with that class.
public enum GANRunGenerator: RunGenerator {
    public static let taskKinds = [GANComponent.kind]

    public static func generate(_ request: GenerationRequest) throws -> [String] {
        let experiment = request.experiment
        let options = try experiment.config.task.decodeOptions(GANComponent.Options.self)
        let info = try SafeTensors.read(path: request.checkpoint).metadata
        guard let channels = info["channels"].flatMap(Int.init), let size = info["image_size"].flatMap(Int.init) else {
            throw ConfigError(file: request.checkpoint, message: "the checkpoint has no 'channels' or 'image_size' metadata; is it a gan run's?")
        }
        let model = try GANModel(options: options, channels: channels, imageSize: size, seed: experiment.config.seed)
        try Checkpoint.load(from: request.checkpoint, model: model, optimizer: nil)
        model.eval()

        let column = options.classLabel ?? "class"
        let fixedClass: Int?
        switch (options.conditional, options.onlyClass, request.classIndex) {
        case (true, _, let c?):
            guard (0..<options.classes).contains(c) else {
                throw ConfigError(file: "--class", message: "class \(c) is outside 0..<\(options.classes) of the run's '\(column)'")
            }
            fixedClass = c
        case (false, let only?, let c):
            if let c, c != only { throw ConfigError(file: "--class", message: "the run was trained on \(column) = \(only) only; it cannot generate class \(c)") }
            fixedClass = only
        case (false, nil, let c?):
            throw ConfigError(file: "--class", message: "the run is not class-conditional (no task.class_label); it cannot generate class \(c)")
        default:
            fixedClass = nil
        }
        let labelled = options.conditional || options.onlyClass != nil
        var catalog = try SyntheticCatalog(folder: request.catalog, labelNames: labelled ? [column] : [])
        var written = 0, batch: UInt64 = 0
        while written < request.count {
            let n = min(64, request.count - written)
            var rng = RandomGenerator(seed: request.seed, stream: 0x4745_4E00_0000 &+ batch)
            let z = try Tensor.randn([n, options.latent], using: &rng)
            let classes = (0..<n).map { fixedClass ?? ((written + $0) % options.classes) }
            let images = SampleGridWriter.images(try model.sample(z, labels: options.conditional ? classes : nil))
            for (i, image) in images.enumerated() {
                try catalog.add(image, id: String(format: "synthetic_%06d", written + i), labels: labelled ? [Float(classes[i])] : [])
            }
            written += n
            batch += 1
        }
        let path = try catalog.writeCSV()
        return ["wrote \(written) synthetic \(channels)×\(size)² images and \(path)" + (labelled ? " (column \(column))" : "")]
    }
}
