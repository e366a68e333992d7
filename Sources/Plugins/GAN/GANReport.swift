import Foundation
import Framework

/// The GAN run's report on the framework's skeleton: summary, both players' loss curves,
/// the final sample grid and the samples' progress over epochs, the quality table with its
/// real-vs-real floor, and the collapse check.
struct GANReport {
    let experiment: Experiment
    let parts: GANTask.Parts
    let history: [[String: Double]]
    let stopReason: String?
    let quality: GANQuality
    let grids: SampleGridWriter
    let seconds: Double

    func write(to folder: String) throws -> [String] {
        let model = parts.model, options = model.options
        var report = RunReport(experiment: experiment, folder: folder)
        report.addRunSummary(data: parts.source.summary + "; trained on \(parts.train.count)",
                             model: "DCGAN: generator \(model.generator.parameterCount) parameters, discriminator \(model.discriminator.parameterCount) (stabiliser \(options.stabiliser.rawValue))\(options.conditional ? ", conditional on \(options.classLabel!)" : "")",
                             history: history, stopReason: stopReason, seconds: seconds, testMetrics: quality.metrics)
        try report.addTrainingCurves(history: history)
        report.addParagraph("d loss is the discriminator's cross-entropy on real and detached fake images, g loss the generator's non-saturating loss −log D(G(z)); d real and d fake are the discriminator's mean probability that real and fake images are real.")

        report.addSection("Samples")
        let final = try grids.fixedSamples()
        try report.addFigure("samples", try SampleGridWriter.grid(final, labels: try model.fixedBatch().labels, title: "samples after epoch \(history.count)"),
                             caption: "The fixed latent batch after the last epoch (each epoch's grid is in plots/samples/).")
        if !grids.strips.isEmpty {
            let shown = Self.spread(grids.strips.count, at: 6).map { grids.strips[$0] }
            var tiles: [ImageGrid.Tile] = []
            for strip in shown {
                for (j, im) in strip.images.enumerated() { tiles.append(ImageGrid.Tile(image: im, caption: j == 0 ? "epoch \(strip.epoch)" : "")) }
            }
            let progress = ImageGrid(tiles: tiles, columns: shown[0].images.count, tileSize: max(48, final[0].width), title: "the same latents over training",
                                     interpolation: .nearest, margin: 6, gap: 2, borderWidth: 1)
            try report.addFigure("samples_progress", try progress.render(), caption: "The first fixed latents' samples at epochs \(shown.map { String($0.epoch) }.joined(separator: ", ")).")
        }

        report.addSection("Quality")
        report.addParagraph("Features: \(parts.features). The held-out galaxies (validation + test) are split into halves A and B of \(quality.samples) each; \(quality.samples) generated images are compared with B, and A with B gives the floor that a perfect generator would reach at this sample size. This is a Fréchet distance on a galaxy encoder's \(quality.featureWidth) features, not comparable to published FIDs on Inception features. KID is the unbiased MMD² with the cubic polynomial kernel (mean ± std over 50 subsets); precision and recall use k-NN manifolds with k = \(options.precisionRecallK) (Kynkäänniemi et al. 2019).")
        let t = quality.table
        report.addTable(header: t.header, rows: t.rows)
        try report.addCSV("quality.csv", t)

        report.addSection("Collapse check")
        let ratios = history.compactMap { h in h["val_diversity_ratio"].map { (Int(h["epoch"] ?? 0), $0) } }
        let low = ratios.filter { $0.1 < options.collapseThreshold }
        report.addParagraph(String(format: "Each epoch the fixed samples' mean pairwise feature distance is divided by that of %d real held-out galaxies (val diversity ratio in the validation metrics). ", options.gridSamples)
            + (low.isEmpty ? String(format: "It never fell below %.2f.", options.collapseThreshold)
                : "Warning: below \(options.collapseThreshold) at epochs \(low.map { String($0.0) }.joined(separator: ", ")) — the generator may have collapsed onto a few modes."))
        return try report.write(describingFiles: "metrics.csv / metrics.jsonl (both players' losses per epoch), quality.csv, test_metrics.json, plots/samples/epoch_NNN.png (the fixed latent batch after each epoch), checkpoints/last.safetensors (generator, discriminator and both Adam states), config.yaml.")
    }

    /// `count` indices spread evenly over 0..<n, first and last included.
    static func spread(_ n: Int, at count: Int) -> [Int] {
        guard n > count else { return Array(0..<n) }
        return Array(Set((0..<count).map { Int((Double($0) * Double(n - 1) / Double(count - 1)).rounded()) })).sorted()
    }
}
