import Foundation
import Framework

/// A trained model's masks on a set of galaxies and what is made of them: the scores, the
/// mask PNGs, the per-galaxy CSV and the report sections. The run's test pass and
/// `zoorun predict` both go through it.
struct SegmentationOutputs {
    let predictions: MaskPredictions
    let scores: MaskScores
    let shapes: MaskShapeScores
    let classes: [String]

    /// The overlap scores and the shape errors.
    var metrics: [String: Double] { scores.metrics.merging(shapes.metrics) { a, _ in a } }

    static let filesDescription = "masks/<id_str>_<mask>.png (8-bit predicted probability per test galaxy and mask), mask_metrics.csv (per galaxy and mask: IoU and Dice at each threshold, soft Dice, pixel ROC AUC), mask_shapes.csv (per galaxy: bar length or pitch angle measured on the true and the predicted mask), test_metrics.json, metrics.csv / metrics.jsonl (per epoch), checkpoints/best.safetensors, config.yaml (the resolved configuration)."

    /// Predicts `indices` of `dataset` and scores the galaxies that have true masks.
    static func predict(model: SegmentationModel, dataset: any Dataset, indices: [Int], options: SegmentationComponent.Options,
                        loaderOptions: DataLoaderOptions, tta: TestTimeAugmentation?, log: (String) -> Void) throws -> SegmentationOutputs {
        let names = Array(NSOrderedSet(array: options.masks + options.truthNames + options.softTruthNames)) as! [String]
        let loader = try DataLoader(dataset: dataset, indices: indices, options: loaderOptions, maskNames: names)
        let predictions = try MaskPredictions.run(model: model, loader: loader, truthNames: options.truthNames,
                                                  softNames: options.softTruthNames, tta: tta, log: log)
        return SegmentationOutputs(predictions: predictions,
                                   scores: try MaskScores(predictions, classes: options.masks, thresholds: options.thresholds),
                                   shapes: MaskShapeScores(predictions, classes: options.masks, truthNames: options.truthNames),
                                   classes: options.masks)
    }

    /// `masks/<id_str>_<mask>.png` for every galaxy when `save_masks`, and
    /// `mask_metrics.csv`; returns the paths relative to `folder`.
    func writeMasks(to folder: String, options: SegmentationComponent.Options) throws -> [String] {
        var files: [String] = []
        if options.saveMasks {
            try FileManager.default.createDirectory(atPath: "\(folder)/masks", withIntermediateDirectories: true)
            for n in 0..<predictions.count {
                for (k, c) in classes.enumerated() {
                    try PNGCodec.write(predictions.probabilityImage(n, k), to: "\(folder)/masks/\(Self.fileName(predictions.ids[n]))_\(c).png")
                }
            }
            files.append("masks/")
        }
        try scores.perGalaxyTable(predictions).write(to: "\(folder)/mask_metrics.csv")
        files.append("mask_metrics.csv")
        if !shapes.rows.isEmpty {
            try shapes.table.write(to: "\(folder)/mask_shapes.csv")
            files.append("mask_shapes.csv")
        }
        return files
    }

    /// An id usable as a file name: path separators and spaces become underscores.
    static func fileName(_ id: String) -> String {
        String(id.map { $0 == "/" || $0 == "\\" || $0 == " " ? "_" : $0 })
    }

    static func writeMetricsJSON(_ metrics: [String: Double], to path: String) throws {
        let json = try JSONSerialization.data(withJSONObject: metrics.mapValues { $0.isFinite ? $0 as Any : NSNull() },
                                              options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write(json, to: path)
    }

    /// The scores table, the overlay gallery and the calibration plot.
    func addSections(to report: inout RunReport, dataset: any Dataset, options: SegmentationComponent.Options, title: String) throws {
        report.addSection(title)
        let ts = scores.thresholds.map(MaskScores.percent)
        func f(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "–" }
        let header = ["mask", "truth", "galaxies"] + ts.flatMap { ["IoU@0.\($0)", "Dice@0.\($0)"] } + ["soft Dice", "pixel AUC"]
        let rows: [[String]] = classes.enumerated().map { k, c in
            [c, options.truthNames[k], "\(scores.overall.examples[k])"]
                + scores.thresholds.indices.flatMap { [f(scores.overall.iou[$0][k]), f(scores.overall.dice[$0][k])] }
                + [f(scores.soft.softDice[k]), f(scores.auc[k])]
        }
        report.addTable(header: header, rows: rows)
        report.addParagraph("IoU and Dice pool the pixels of every galaxy with a truth mask (thresholded at 0.5) before taking the ratio; soft Dice compares the probabilities with \(options.softTruthNames.joined(separator: ", ")); a galaxy without a mask of a class is left out of that class.")
        if options.gallery > 0 {
            let showSoft = options.softTruthNames != options.truthNames
            try report.addFigure("mask_gallery", try gallery(dataset: dataset, count: options.gallery, showSoft: showSoft),
                                 caption: "Test galaxies with the most truth pixels: the image, then per mask the binary truth\(showSoft ? ", the soft truth" : "") and the predicted probability painted over it.")
        }
        try report.addFigure("mask_calibration", try calibrationPlot(truthNames: options.truthNames, softNames: options.softTruthNames),
                             caption: "Calibration: pixels binned by predicted probability, against the mean soft truth (solid) and binary truth (dashed) of each bin. A calibrated model lies on the diagonal.")
        try report.addCSV("mask_metrics.csv", scores.perGalaxyTable(predictions))
        try shapes.addSection(to: &report)
    }

    static let colors: [RGBColor] = [RGBColor(hex: 0xFF7F0E), RGBColor(hex: 0x17BECF), RGBColor(hex: 0xE377C2), RGBColor(hex: 0xBCBD22)]

    /// Rows of (image | truth | soft truth, where it is another mask | prediction, per class)
    /// for the galaxies with the most truth.
    func gallery(dataset: any Dataset, count: Int, showSoft: Bool) throws -> Image {
        let p = predictions, plane = p.plane, k = classes.count
        let truthPixels = (0..<p.count).map { n in
            (0..<k).reduce(0) { sum, c in
                let base = (n * k + c) * plane
                return sum + (p.truthPresent[n][c] ? p.truth.storage[base..<(base + plane)].filter { $0 >= 0.5 }.count : 0)
            }
        }
        let chosen = (0..<p.count).sorted { truthPixels[$0] > truthPixels[$1] }.prefix(count)
        var tiles: [ImageGrid.Tile] = []
        for n in chosen {
            let image = try Self.displayable(dataset.example(at: p.indices[n]).image)
            tiles.append(ImageGrid.Tile(image: image, caption: String(p.ids[n].suffix(12))))
            for (c, name) in classes.enumerated() {
                let overlay = MaskOverlay(color: Self.colors[c % Self.colors.count])
                let short = String(name.prefix(8))
                let iou = scores.galaxies[n].binary.iou[scores.thresholds.count - 1][c]
                tiles.append(ImageGrid.Tile(image: try overlay.apply(to: image, mask: p.truthImage(n, c)),
                                            caption: p.truthPresent[n][c] ? "truth" : "no truth"))
                if showSoft {
                    tiles.append(ImageGrid.Tile(image: try overlay.apply(to: image, mask: MaskPredictions.image(p.soft, n, c)),
                                                caption: p.softPresent[n][c] ? "soft truth" : "no soft"))
                }
                tiles.append(ImageGrid.Tile(image: try overlay.apply(to: image, mask: p.probabilityImage(n, c)),
                                            caption: iou.map { String(format: "pred IoU %.2f", $0) } ?? "\(short) pred"))
            }
        }
        return try ImageGrid(tiles: tiles, columns: 1 + (showSoft ? 3 : 2) * k, tileSize: 96, title: "Masks: truth and prediction").render()
    }

    /// Images in [0, 1] are shown as they are; others (survey fluxes) with an asinh stretch.
    static func displayable(_ image: Image) throws -> Image {
        let shown = image.channels == 3 || image.channels == 1 ? image : Image(channels: 1, height: image.height, width: image.width,
                                                                            pixels: Array(image.pixels.prefix(image.height * image.width)))
        return shown.pixels.allSatisfy({ $0 >= 0 && $0 <= 1 }) ? shown : try DisplayScaling().apply(shown)
    }

    /// Reliability of the probabilities against the soft truth (solid) and, where it is a
    /// different mask, against the binary truth (dashed): pixels binned by prediction.
    func calibrationPlot(truthNames: [String], softNames: [String]) throws -> Image {
        let p = predictions
        let soft = try SegmentationMetrics.calibration(predictions: p.probabilities, targets: p.soft, present: p.softPresent, bins: 10)
        let binary = try SegmentationMetrics.calibration(predictions: p.probabilities, targets: p.truth, present: p.truthPresent, bins: 10)
        var series = [LinePlot.Series(name: "calibrated", x: [0, 1], y: [0, 1], color: .frame, dash: [4, 4])]
        for (c, name) in classes.enumerated() {
            let color = Self.colors[c % Self.colors.count]
            if !soft[c].isEmpty {
                series.append(LinePlot.Series(name: "\(name) vs \(softNames[c])", x: soft[c].map(\.meanPrediction),
                                              y: soft[c].map(\.meanTarget), color: color, marker: .circle))
            }
            if truthNames[c] != softNames[c], !binary[c].isEmpty {
                series.append(LinePlot.Series(name: "\(name) vs \(truthNames[c])", x: binary[c].map(\.meanPrediction),
                                              y: binary[c].map(\.meanTarget), color: color, dash: [6, 3], marker: .square))
            }
        }
        return try LinePlot(series: series, title: "Mask calibration", xLabel: "predicted probability", yLabel: "mean truth in bin",
                            xRange: 0...1, yRange: 0...1).render()
    }
}
