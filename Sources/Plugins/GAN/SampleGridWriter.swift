import Foundation
import Framework

/// After every epoch: draws the fixed latent batch with the generator (evaluation mode) and
/// writes `plots/samples/epoch_NNN.png`, keeps a strip of the first samples for the report's
/// progress figure, and warns on standard error when the samples' feature diversity
/// (`val_diversity_ratio`) is below the collapse threshold.
final class SampleGridWriter: TrainingCallback {
    let model: GANModel
    let folder: String?
    let threshold: Double
    /// Epoch (1-based) and its first samples, for the epochs this process trained.
    private(set) var strips: [(epoch: Int, images: [Image])] = []
    var log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }

    init(model: GANModel, folder: String?, threshold: Double) {
        self.model = model
        self.folder = folder
        self.threshold = threshold
    }

    func on(_ event: TrainingEvent, state: TrainerState) throws {
        guard case .epochEnd(let epoch) = event else { return }
        let images = try fixedSamples()
        strips.append((epoch + 1, Array(images.prefix(8))))
        if let folder {
            try FileManager.default.createDirectory(atPath: "\(folder)/plots/samples", withIntermediateDirectories: true)
            let grid = try Self.grid(images, labels: try model.fixedBatch().labels, title: "epoch \(epoch + 1)")
            try AtomicFile.write(Data(try PNGCodec.encode(grid)), to: "\(folder)/plots/samples/\(String(format: "epoch_%03d", epoch + 1)).png")
        }
        if let r = state.epochMetrics["val_diversity_ratio"], r < threshold {
            log(String(format: "zoorun: warning: epoch %d: the samples' feature diversity is %.2f of the real data's (below %.2f): the generator may be collapsing", epoch + 1, r, threshold))
        }
    }

    /// The fixed latent batch's images in the model's current mode.
    func fixedSamples() throws -> [Image] {
        let (z, y) = try model.fixedBatch()
        model.eval()
        return Self.images(try model.sample(z, labels: y))
    }

    /// Images [N, C, H, W] as `Image`s (values clamped to [0, 1]).
    static func images(_ t: Tensor) -> [Image] {
        let (c, h, w) = (t.shape[1], t.shape[2], t.shape[3]), plane = c * h * w
        return (0..<t.shape[0]).map { i in
            Image(channels: c, height: h, width: w, pixels: t.storage[(i * plane)..<((i + 1) * plane)].map { min(max($0, 0), 1) })
        }
    }

    /// A square-ish grid of samples, captioned with their class when conditional.
    static func grid(_ images: [Image], labels: [Int]?, title: String) throws -> Image {
        let tiles = images.enumerated().map { i, im in ImageGrid.Tile(image: im, caption: labels.map { "class \($0[i])" } ?? "") }
        let columns = Int(Double(images.count).squareRoot().rounded(.up))
        return try ImageGrid(tiles: tiles, columns: columns, tileSize: max(48, images[0].width), title: title,
                             interpolation: .nearest, margin: 6, gap: 2, borderWidth: 1).render()
    }
}
