import Foundation
import Framework

/// Training a round's model on every label so far and scoring it on the fixed validation set.
extension VolunteerLoop {
    struct Trained {
        /// Checkpoint path relative to the loop folder.
        var path: String
        var value: Double
        var labels: Int
    }

    /// The dataset with journal answers on pool galaxies and no other pool labels or votes.
    func labelledDataset(_ journal: LabelJournal) -> JournalLabelledDataset {
        var index: [String: Int] = [:]
        for i in pool { index[source.dataset.id(at: i)] = i }
        var imported: [Int: Float] = [:]
        for (id, l) in journal.labels { if let i = index[id] { imported[i] = Float(l) } }
        var data = JournalLabelledDataset(base: source.dataset, label: label, initial: Set(source.train + source.val),
                                          imported: imported)
        for (id, v) in journal.votes { if let i = index[id] { data.importedVotes[i] = v.mapValues(Float.init) } }
        return data
    }

    /// Trains a fresh model for `round` on the train split's labels (or votes) plus the journal's,
    /// saves it to `models/round-<round>.safetensors` and returns its validation metric.
    func train(round: Int, journal: LabelJournal) throws -> Trained {
        let model = try FinetuneTask(options: FinetuneComponent.Options()).build(experiment).model
        let data = labelledDataset(journal)
        let targets = try Targets(allOf: data)
        let labelled = { (idx: [Int]) in idx.filter { model.head.hasTarget(targets, at: $0) } }
        let trainIdx = labelled(source.train) + labelled(data.answered)
        let valIdx = labelled(source.val)
        guard !trainIdx.isEmpty, !valIdx.isEmpty else {
            throw ConfigError(file: experiment.source.file,
                message: "the loop needs labelled galaxies to train (\(trainIdx.count)) and validate (\(valIdx.count)) on \(label.map { "label '\($0)'" } ?? "the \(tree!.name) tree's votes")")
        }
        let votes = tree?.columnNames
        // A last batch of one galaxy cannot train BatchNorm; with labels arriving one by one
        // that happens, so such a batch is dropped (a different galaxy each shuffled epoch).
        var options = training
        options.dropLast = training.dropLast || (trainIdx.count > 1 && trainIdx.count % training.batchSize == 1)
        var run = SupervisedRun(training: options, seed: experiment.config.seed &+ UInt64(round), folder: nil)
        run.cancellation = experiment.cancellation
        run.callbacks = experiment.extraCallbacks
        log("zoorun loop: training the round-\(round) model on \(trainIdx.count) labels (\(data.answered.count) from volunteers)")
        let trained = try run.fit(model, dataset: data, train: trainIdx, val: valIdx, augmentation: augmentation, voteColumns: votes)
        let key = "val_\(metric)"
        guard let value = trained.metrics[key] else {
            throw ConfigError(file: experiment.source.file,
                message: "task.metric '\(metric)' is not a validation metric of this head; known: \(trained.metrics.keys.filter { $0.hasPrefix("val_") }.sorted().map { String($0.dropFirst(4)) }.joined(separator: ", "))")
        }
        let relative = "models/round-\(round).safetensors"
        try FileManager.default.createDirectory(atPath: "\(folder)/models", withIntermediateDirectories: true)
        try Checkpoint(epoch: trained.epoch, history: trained.state.history,
                       info: ["task": VolunteerLoopComponent.kind, "round": String(round), "labels": String(trainIdx.count),
                              "outputs": classes.joined(separator: "\t")])
            .save(model: model, optimizer: nil, to: "\(folder)/\(relative)")
        return Trained(path: relative, value: value, labels: trainIdx.count)
    }

    func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
}
