import Foundation
import Framework

/// `task: {kind: anomaly-search}` — interest search after Walmsley et al. 2022: embed every
/// galaxy with a (pretrained) backbone, let a simulated user rate galaxies (interesting or
/// not, from the simulator's truth), and after a few random ratings let a Gaussian process
/// with expected improvement choose each next galaxy to rate. Compared with a random order
/// and with ranking by distance to the mean embedding of the interesting galaxies found so
/// far; the output is the "interesting found vs ratings made" curve of each.
public struct AnomalySearchTask: ExperimentTask {
    public let options: AnomalySearchComponent.Options

    public static let methods = ["gp-ei", "embedding-distance", "random"]

    func build(_ experiment: Experiment) throws -> (source: DataSource, backbone: any Backbone, rule: InterestRule) {
        let (source, made) = try experiment.makeDataSource()
        var context = made
        let backbone = try experiment.makeBackbone(context: &context, for: "an anomaly-search experiment")
        let rule = try InterestRule(options.interesting)
        guard options.initial < source.dataset.count, options.budget <= source.dataset.count, options.initial < options.budget else {
            throw ConfigError(file: experiment.source.file,
                message: "task: need initial (\(options.initial)) < budget (\(options.budget)) ≤ galaxies (\(source.dataset.count))")
        }
        return (source, backbone, rule)
    }

    public func validate(_ experiment: Experiment) throws -> [String] {
        let (source, backbone, rule) = try build(experiment)
        _ = try rule.rating(source.dataset.targets(at: 0).labels, example: 0)
        return [source.summary, "backbone: \(backbone.parameterCount) parameters, embedding width \(backbone.embeddingWidth)",
                "interesting: \(options.interesting.joined(separator: " or ")); \(options.initial) random ratings, then up to \(options.budget)"]
    }

    /// Every galaxy's pooled embedding, eval mode, standardised per dimension so the RBF
    /// length scale treats the dimensions alike; with `pca` > 0, their coordinates on that many
    /// principal components instead (Walmsley et al. 2022 compress to a few before the GP),
    /// left unscaled so the leading components weigh most in the distance.
    func embed(_ source: DataSource, backbone: any Backbone, seed: UInt64) throws -> (rows: [[Float]], note: String) {
        let standardised = try DatasetEmbedding(backbone, dataset: source.dataset, seed: seed, progress: "zoorun").standardised()
        guard options.pca > 0 else { return (standardised, "\(standardised.first?.count ?? 0) standardised dimensions") }
        guard options.pca <= min(standardised.count, standardised.first?.count ?? 0) else {
            throw ConfigError(file: "task", message: "pca: \(options.pca) components from \(standardised.count) galaxies of \(standardised.first?.count ?? 0) dimensions; use at most \(min(standardised.count, standardised.first?.count ?? 0))")
        }
        let pca = try LinearAlgebra.pca(standardised, components: options.pca)
        let kept = pca.explainedVarianceRatio.reduce(0, +)
        return (try pca.transform(standardised), String(format: "PCA to %d components (%.0f %% of the variance)", options.pca, 100 * kept))
    }

    /// The order in which `method` has the user rate galaxies, `budget` long, starting with
    /// `initial` (the shared random first ratings).
    func order(_ method: String, embeddings: [[Float]], interest: [Double], initial: [Int], rng: inout RandomGenerator) throws -> [Int] {
        var rated = initial
        var isRated = [Bool](repeating: false, count: embeddings.count)
        for i in initial { isRated[i] = true }
        let gp = ExpectedImprovementAcquisition(options.gp)
        while rated.count < options.budget {
            let unrated = embeddings.indices.filter { !isRated[$0] }
            let found = rated.filter { interest[$0] > 0 }
            let next: Int
            switch method {
            case "gp-ei":
                let input = AcquisitionInput(passes: [], embeddings: embeddings, ratings: rated.map { (index: $0, value: interest[$0]) })
                next = try gp.select(k: 1, from: input, rng: &rng)[0]
            case "embedding-distance" where !found.isEmpty:
                let dims = embeddings[0].count
                var centre = [Double](repeating: 0, count: dims)
                for i in found { for d in 0..<dims { centre[d] += Double(embeddings[i][d]) / Double(found.count) } }
                func distance(_ i: Int) -> Double {
                    (0..<dims).reduce(0.0) { $0 + pow(Double(embeddings[i][$1]) - centre[$1], 2) }
                }
                next = unrated.min { distance($0) != distance($1) ? distance($0) < distance($1) : $0 < $1 }!
            default:
                // Random order, and the distance baseline until it has found something.
                next = unrated[Int(rng.next() % UInt64(unrated.count))]
            }
            rated.append(next)
            isRated[next] = true
        }
        return rated
    }

    public func run(_ experiment: Experiment) throws -> RunSummary {
        let started = Date()
        let (source, backbone, rule) = try build(experiment)
        let folder = experiment.runFolder
        try FileManager.default.createDirectory(atPath: "\(folder)/plots", withIntermediateDirectories: true)
        log("zoorun: \(experiment.config.name): \(source.summary); embedding with \(type(of: backbone))")
        let (embeddings, representation) = try embed(source, backbone: backbone, seed: experiment.config.seed)
        log("zoorun: representation: \(representation)")
        let interest = try (0..<source.dataset.count).map { try rule.rating(source.dataset.targets(at: $0).labels, example: $0) }
        let totalInteresting = Int(interest.reduce(0, +))
        log("zoorun: \(totalInteresting) of \(interest.count) galaxies are interesting (\(options.interesting.joined(separator: " or ")))")

        // curves[method][repeat][n − 1] = interesting found in the first n ratings.
        var curves: [String: [[Double]]] = [:]
        for r in 0..<options.repeats {
            var rng = RandomGenerator(seed: experiment.config.seed, stream: UInt64(r))
            var pool = Array(0..<interest.count)
            for i in 0..<options.initial { pool.swapAt(i, i + Int(rng.next() % UInt64(pool.count - i))) }
            let initial = Array(pool.prefix(options.initial))
            for method in Self.methods {
                var methodRng = RandomGenerator(seed: experiment.config.seed, stream: UInt64(r) &* 16 &+ 1)
                let rated = try order(method, embeddings: embeddings, interest: interest, initial: initial, rng: &methodRng)
                var found = 0.0
                curves[method, default: []].append(rated.map { found += interest[$0]; return found })
            }
            log("zoorun: repeat \(r + 1)/\(options.repeats): " + Self.methods.map { "\($0) \(Int(curves[$0]![r].last!))" }.joined(separator: ", ")
                + " interesting in \(options.budget) ratings")
        }

        let n = options.budget
        func stats(_ method: String) -> (mean: [Double], std: [Double]) {
            let runs = curves[method]!
            let mean = (0..<n).map { i in runs.reduce(0) { $0 + $1[i] } / Double(runs.count) }
            let std = (0..<n).map { i in (runs.reduce(0) { $0 + pow($1[i] - mean[i], 2) } / Double(runs.count)).squareRoot() }
            return (mean, std)
        }
        let ideal = (1...n).map { Double(min($0, totalInteresting)) }
        var csv = "ratings," + Self.methods.flatMap { [$0, "\($0)_std"] }.joined(separator: ",") + ",ideal\n"
        let table = Self.methods.map(stats)
        for i in 0..<n {
            csv += "\(i + 1)," + table.flatMap { [String(format: "%.3f", $0.mean[i]), String(format: "%.3f", $0.std[i])] }.joined(separator: ",")
                + ",\(Int(ideal[i]))\n"
        }
        try AtomicFile.write(Data(csv.utf8), to: "\(folder)/anomaly_curve.csv")

        let x = (1...n).map(Double.init)
        var series = zip(Self.methods, table).map { LinePlot.Series(name: $0, x: x, mean: $1.mean, std: $1.std) }
        series.append(LinePlot.Series(name: "ideal", x: x, y: ideal, dash: [6, 4]))
        let image = try LinePlot(series: series, title: "Interesting galaxies found", xLabel: "ratings made",
                                 yLabel: "interesting found", legend: .auto).render()
        let png = try PNGCodec.encode(image)
        try AtomicFile.write(Data(png), to: "\(folder)/plots/anomaly_curve.png")

        var metrics: [String: Double] = ["interesting_total": Double(totalInteresting)]
        let checkpoints = [25, 50, 100, 200, n].filter { $0 <= n }
        for (method, s) in zip(Self.methods, table) {
            for c in Set(checkpoints) {
                metrics["\(method)_found_at_\(c)"] = s.mean[c - 1]
                // Of the interesting galaxies a perfect ranker would have found by then.
                metrics["\(method)_fraction_found_at_\(c)"] = ideal[c - 1] > 0 ? s.mean[c - 1] / ideal[c - 1] : .nan
            }
        }
        var report = HTMLReport(title: "Anomaly search: \(experiment.config.name)")
        report.addSummary("data", source.summary)
        report.addSummary("backbone", "\(type(of: backbone)), embedding width \(backbone.embeddingWidth)")
        report.addSummary("representation", representation)
        report.addSummary("interesting", "\(options.interesting.joined(separator: " or ")): \(totalInteresting) of \(interest.count)")
        report.addSummary("protocol", "\(options.initial) random ratings, then one at a time up to \(n); \(options.repeats) repeats")
        report.addSummary("GP", "RBF + noise \(options.gp.noise), signal variance \(options.gp.signalVariance), ξ \(options.gp.xi), length scale \(options.gp.lengthScale.map { "\($0)" } ?? "median distance")")
        report.addSummary("time", String(format: "%.0f s", Date().timeIntervalSince(started)))
        report.addSection("Interesting galaxies found")
        report.addFigure(png: png, caption: "Mean over repeats (±1 std); dashed: a perfect ranker")
        report.addTable(header: ["ratings"] + Self.methods + ["ideal"], rows: checkpoints.map { c in
            ["\(c)"] + table.map { String(format: "%.1f (%.0f %%)", $0.mean[c - 1], ideal[c - 1] > 0 ? 100 * $0.mean[c - 1] / ideal[c - 1] : 0) } + ["\(Int(ideal[c - 1]))"]
        })
        report.addParagraph("Interesting galaxies found after each number of ratings, and in brackets the fraction of those a perfect ranker would have found by then (all of the first N while N ≤ the number interesting).")
        try report.write(to: "\(folder)/report.html")
        let metricsJSON = try JSONSerialization.data(withJSONObject: metrics, options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write(metricsJSON, to: "\(folder)/metrics.json")
        let headline = "\(experiment.config.name): interesting found in \(n) ratings: "
            + zip(Self.methods, table).map { "\($0) \(String(format: "%.1f", $1.mean[n - 1]))" }.joined(separator: ", ")
            + " (of \(totalInteresting))\nreport: \(folder)/report.html"
        return RunSummary(metrics: metrics, files: ["anomaly_curve.csv", "plots/anomaly_curve.png", "report.html", "metrics.json"],
                          headline: headline)
    }

    func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
}

/// The registry entry for `task: {kind: anomaly-search}`.
public enum AnomalySearchComponent: TaskComponent {
    public static let kind = "anomaly-search"
    public static let summary = "Interest search: a GP with expected improvement on embeddings picks galaxies for a simulated user to rate, vs random and embedding distance"

    public struct Options: ComponentOptions {
        /// A galaxy is interesting when any condition holds on its truth labels.
        public var interesting = ["ring == 1", "merger > 0"]
        /// Random ratings before the methods take over.
        public var initial = 5
        /// Ratings in total (the curve's length).
        public var budget = 150
        /// Repeats with different initial ratings (curves are averaged).
        public var repeats = 3
        /// The Gaussian process and expected improvement (as `acquisition: {kind: gp-ei}`).
        public var gp = ExpectedImprovementComponent.Options()
        /// Principal components the representation is compressed to before the search
        /// (0: the standardised embedding itself).
        public var pca = 0

        public init() {}

        enum CodingKeys: String, CodingKey { case interesting, initial, budget, repeats, gp, pca }

        public func validate() throws {
            _ = try InterestRule(interesting)
            if initial < 1 { throw ConfigError(file: "task", message: "initial must be ≥ 1") }
            if budget <= initial { throw ConfigError(file: "task", message: "budget must exceed initial") }
            if repeats < 1 { throw ConfigError(file: "task", message: "repeats must be ≥ 1") }
            if pca < 0 { throw ConfigError(file: "task", message: "pca must be ≥ 0 (0 keeps the embedding as it is)") }
            try gp.validate()
        }
    }

    public static func make(options: Options, context: ComponentContext) throws -> any ExperimentTask {
        AnomalySearchTask(options: options)
    }
}
