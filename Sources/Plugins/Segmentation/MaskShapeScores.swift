import Foundation
import Framework

/// Shapes measured from the predicted masks against the same measurement on the true masks
/// (`MaskShape`): per galaxy with a truth shape, the predicted one and the relative error
/// |predicted − truth| / truth. A galaxy whose prediction has too few pixels to measure is
/// counted as missed, not dropped.
struct MaskShapeScores {
    struct Row {
        var id: String
        var mask: String
        var shape: MaskShape
        var truth: Double
        /// Nil when the prediction has too few pixels at 0.5.
        var predicted: Double?
        var relativeError: Double? { predicted.map { abs($0 - truth) / truth } }
    }

    var rows: [Row] = []
    /// The classes that measure a shape, with it.
    let measured: [(mask: String, shape: MaskShape)]

    init(_ p: MaskPredictions, classes: [String], truthNames: [String]) {
        measured = zip(classes, truthNames).compactMap { c, t in MaskShape.of(mask: t).map { (c, $0) } }
        let k = classes.count, size = p.probabilities.shape[3], plane = p.plane
        // The shapes are measured about the centre of a square cutout.
        guard p.probabilities.shape[2] == size else { return }
        for n in 0..<p.count {
            for (c, name) in classes.enumerated() where p.truthPresent[n][c] {
                guard let shape = MaskShape.of(mask: truthNames[c]) else { continue }
                let base = (n * k + c) * plane
                guard let truth = shape.measure(p.truth.storage[base..<(base + plane)], size: size), truth > 0 else { continue }
                rows.append(Row(id: p.ids[n], mask: name, shape: shape, truth: truth,
                                predicted: shape.measure(p.probabilities.storage[base..<(base + plane)], size: size)))
            }
        }
    }

    /// Per measured class: `<shape>_<mask>_relative_error` (median over the galaxies whose
    /// prediction could be measured), `…_measured` and `…_missed` counts.
    var metrics: [String: Double] {
        var out: [String: Double] = [:]
        for (mask, shape) in measured {
            let mine = rows.filter { $0.mask == mask }
            let errors = mine.compactMap(\.relativeError)
            let key = "\(shape.rawValue)_\(mask)"
            out["\(key)_relative_error"] = Self.median(errors)
            out["\(key)_measured"] = Double(errors.count)
            out["\(key)_missed"] = Double(mine.count - errors.count)
        }
        return out
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    var table: CSVTable {
        func f(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "" }
        return CSVTable(header: ["id_str", "mask", "shape", "truth", "predicted", "relative_error"],
                        rows: rows.map { [$0.id, $0.mask, $0.shape.rawValue, f($0.truth), f($0.predicted), f($0.relativeError)] })
    }

    /// The summary table of the report: per measured class, the median and the spread.
    func addSection(to report: inout RunReport) throws {
        guard !measured.isEmpty, !rows.isEmpty else { return }
        func f(_ v: Double) -> String { v.isNaN ? "–" : String(format: "%.3f", v) }
        let tableRows: [[String]] = measured.map { mask, shape in
            let mine = rows.filter { $0.mask == mask }
            let errors = mine.compactMap(\.relativeError).sorted()
            let quartile = { (q: Double) in errors.isEmpty ? Double.nan : errors[min(errors.count - 1, Int(q * Double(errors.count)))] }
            return [mask, shape == .barLength ? "bar length (px)" : "pitch angle (°)", "\(errors.count)", "\(mine.count - errors.count)",
                    f(Self.median(mine.map(\.truth))), f(Self.median(errors)), f(quartile(0.25)), f(quartile(0.75))]
        }
        report.addTable(header: ["mask", "shape", "measured", "missed", "median truth", "median relative error", "25 %", "75 %"], rows: tableRows)
        report.addParagraph("Shapes measured the same way on the predicted mask (probability ≥ 0.5) and on the true mask of each test galaxy that has one: the bar's semi-major axis from the mask's second moments, the arms' pitch angle from the best-fitting logarithmic spiral. Missed: the prediction had too few pixels to measure.")
        try report.addCSV("mask_shapes.csv", table)
    }
}
