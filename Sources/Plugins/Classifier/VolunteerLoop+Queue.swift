import Foundation
import Framework

/// A round's MC-dropout predictions of the pool (stored, reused) and its volunteer queue.
extension VolunteerLoop {
    /// The pool's predictions under the round's accepted model, [pass][pool galaxy][output]:
    /// class probabilities, or a vote tree's Dirichlet concentrations α (what vote-tree BALD
    /// needs; expected vote fractions are α normalised per question). Read from
    /// `predictions-<round>.csv` when present, otherwise computed and written. The file has
    /// one row per galaxy and pass: `id_str, pass, <output>…`.
    func predictions(round: Int, model checkpoint: String) throws -> [[[Float]]] {
        let path = predictionsPath(round)
        let ids = pool.map(source.dataset.id(at:))
        if FileManager.default.fileExists(atPath: path) { return try readPredictions(path, ids: ids) }
        let model = try FinetuneTask(options: FinetuneComponent.Options()).build(experiment).model
        try Checkpoint.load(from: "\(folder)/\(checkpoint)", model: model, optimizer: nil)
        let seed = experiment.config.seed &+ UInt64(round)
        let loader = try DataLoader(dataset: source.dataset, indices: pool, options: training.evaluationLoaderOptions(seed: seed))
        log("zoorun loop: predicting \(pool.count) pool galaxies with \(options.mcSamples) MC-dropout passes")
        model.eval()
        if options.mcSamples > 1 { model.setMCDropout(true, seed: seed) }
        defer { model.setMCDropout(false) }
        var passes = [[[Float]]](repeating: [], count: options.mcSamples)
        try GradMode.withoutGrad {
            let epoch = loader.epoch(0)
            while let batch = try epoch.next() {
                for pass in 0..<options.mcSamples {
                    let outputs = try model(batch.images)
                    let p = try (model.head as? any VoteTreePredicting)?.concentrations(outputs) ?? model.head.predictions(outputs: outputs)
                    passes[pass] += Evaluation.rows(p, count: batch.count)
                }
            }
        }
        var rows: [[String]] = []
        for (t, pass) in passes.enumerated() {
            for (i, p) in pass.enumerated() { rows.append([ids[i], String(t)] + p.map { String(format: "%.6f", $0) }) }
        }
        try CSVTable(header: ["id_str", "pass"] + classes, rows: rows).write(to: path)
        return passes
    }

    /// Reads stored predictions back, checking they cover this pool with this many passes.
    func readPredictions(_ path: String, ids: [String]) throws -> [[[Float]]] {
        let table = try CSVTable.read(path: path)
        guard table.header == ["id_str", "pass"] + classes else {
            throw ConfigError(file: path, message: "stored predictions have columns \(table.header.joined(separator: ",")); expected id_str,pass,\(classes.joined(separator: ",")) (delete the file to predict again)")
        }
        var passes = [[[Float]]](repeating: [], count: options.mcSamples)
        for (r, row) in table.rows.enumerated() {
            guard let t = Int(row[1]), passes.indices.contains(t), passes[t].count < ids.count, ids[passes[t].count] == row[0],
                  case let p = row[2...].compactMap(Float.init), p.count == classes.count else {
                throw ConfigError(file: path, message: "line \(table.lines[r]): does not match this pool and mc_samples \(options.mcSamples) (delete the file to predict again)")
            }
            passes[t].append(p)
        }
        guard passes.allSatisfy({ $0.count == ids.count }) else {
            throw ConfigError(file: path, message: "stored predictions do not cover the \(ids.count) pool galaxies in every pass (delete the file to predict again)")
        }
        return passes
    }

    /// Whether a galaxy with mean predictions `p` (class probabilities or expected vote
    /// fractions) goes to volunteers.
    func routes(_ p: [Float]) -> Bool {
        switch options.rule {
        case .notConfidentlyClass: return Double(p[confident]) < options.threshold
        case .notConfident: return Double(p[confidentGroup].max() ?? 0) < options.threshold
        case .all: return true
        }
    }

    /// Pool galaxy `i`'s mean prediction over passes: the mean class probabilities, or for a
    /// vote tree the mean over passes of each pass's α normalised per question.
    func meanPrediction(_ passes: [[[Float]]], _ i: Int) -> [Float] {
        var mean = [Float](repeating: 0, count: classes.count)
        for pass in passes {
            for r in tree?.answerRanges ?? [classes.indices] {
                let total = tree == nil ? 1 : pass[i][r].reduce(0, +)
                for j in r { mean[j] += pass[i][j] / total / Float(passes.count) }
            }
        }
        return mean
    }

    /// The acquisition function: the YAML's `acquisition:`, else bald, else max-entropy
    /// (classifiers only: vote trees need bald).
    func acquisition() throws -> any Acquisition {
        let registry = experiment.registry
        if let node = experiment.config.acquisition {
            return try registry.make(.acquisition, from: node, context: experiment.context())
        }
        let known = registry.kinds(.acquisition)
        let defaults = tree == nil ? ["bald", "max-entropy"] : ["bald"]
        guard let kind = defaults.first(where: known.contains) else {
            throw ConfigError(file: experiment.source.file,
                message: "no `acquisition:` given and \(tree == nil ? "neither bald nor max-entropy is" : "bald is not") registered; known acquisition kinds: \(known.isEmpty ? "none" : known.joined(separator: ", "))")
        }
        let text = "kind: \(kind)\n"
        let source = ConfigSource(file: "<default acquisition>", text: text)
        return try registry.make(.acquisition, from: ConfigNode(node: ConfigDecoder.parse(text, file: source.file), source: source),
                                 context: experiment.context())
    }

    /// Writes `queue-<round>.csv` (unless present): the unlabelled pool galaxies the rule
    /// routes, best acquisition score first, with their mean predictions (`p_<output>`: class
    /// probabilities or expected vote fractions) and scores. Returns the number queued.
    func writeQueue(round: Int, passes: [[[Float]]], acquisition acquire: any Acquisition, labelled: Set<String>) throws -> Int {
        let path = queuePath(round)
        if FileManager.default.fileExists(atPath: path) { return try CSVTable.read(path: path).rows.count }
        let n = pool.count
        let mean = (0..<n).map { meanPrediction(passes, $0) }
        let routed = (0..<n).filter { !labelled.contains(source.dataset.id(at: pool[$0])) && routes(mean[$0]) }
        var rows: [[String]] = []
        if !routed.isEmpty {
            let input = AcquisitionInput(passes: passes.map { pass in routed.map { pass[$0] } }, tree: tree,
                                         expectedVotes: options.expectedVotes)
            let scores = try acquire.scores(input)
            var rng = RandomGenerator(seed: experiment.config.seed &+ UInt64(round), stream: 0x5155_4555)
            let order = try acquire.select(k: min(options.queueSize ?? routed.count, routed.count), from: input, rng: &rng)
            for (rank, k) in order.enumerated() {
                let i = routed[k]
                rows.append([String(rank + 1), source.dataset.id(at: pool[i])] + mean[i].map { String(format: "%.6f", $0) }
                            + [String(format: "%.6f", scores[k])])
            }
        }
        try CSVTable(header: ["rank", "id_str"] + classes.map { "p_\($0)" } + ["score"], rows: rows).write(to: path)
        return rows.count
    }
}
