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
        if training.trainingMode == .headOnly { model.encoder.freeze() }
        let optimizer = training.makeOptimizer(for: model)
        let seed = experiment.config.seed &+ UInt64(round)
        // A last batch of one galaxy cannot train BatchNorm; with labels arriving one by one
        // that happens, so such a batch is dropped (a different galaxy each shuffled epoch).
        let dropLast = training.dropLast || (trainIdx.count > 1 && trainIdx.count % training.batchSize == 1)
        let trainLoader = try DataLoader(dataset: data, indices: trainIdx,
                                         options: DataLoaderOptions(batchSize: training.batchSize, shuffle: true, dropLast: dropLast,
                                                                    seed: seed, workers: training.workers,
                                                                    cacheMegabytes: training.cacheMegabytes),
                                         augmentation: augmentation, voteColumns: votes)
        let valLoader = try DataLoader(dataset: data, indices: valIdx, options: evalOptions(seed: seed), voteColumns: votes)
        let trainer = Trainer<Batch>(model: model, optimizer: optimizer,
                                     schedule: training.makeSchedule(stepsPerEpoch: trainLoader.batchCount),
                                     clipGradientNorm: training.clipGradNorm, cancellation: experiment.cancellation)
        trainer.callbacks = experiment.extraCallbacks
        log("zoorun loop: training the round-\(round) model on \(trainIdx.count) labels (\(data.answered.count) from volunteers)")
        let state = try trainer.fit(
            epochs: training.epochs, batchesPerEpoch: trainLoader.batchCount,
            batches: { epoch in
                model.reseedDropout(seed &+ UInt64(epoch) &* 0x9E37)
                let e = trainLoader.epoch(epoch)
                return { try e.next() }
            },
            loss: { batch in try model.head.loss(outputs: model(batch.images), targets: batch.targets(voteColumns: votes ?? [])) },
            validate: { _ in
                let r = try Evaluation.run(model: model, loader: valLoader, mcSamples: 1)
                return r.metrics.mapKeys { "val_\($0)" }.merging(["val_loss": r.loss]) { a, _ in a }
            })
        guard let last = state.history.last else {
            throw ConfigError(file: experiment.source.file, message: "training the round-\(round) model ran no epoch")
        }
        let key = "val_\(metric)"
        guard let value = last[key] else {
            throw ConfigError(file: experiment.source.file,
                message: "task.metric '\(metric)' is not a validation metric of this head; known: \(last.keys.sorted().map { String($0.dropFirst(4)) }.joined(separator: ", "))")
        }
        let relative = "models/round-\(round).safetensors"
        try FileManager.default.createDirectory(atPath: "\(folder)/models", withIntermediateDirectories: true)
        try Checkpoint(epoch: training.epochs, history: state.history,
                       info: ["task": VolunteerLoopComponent.kind, "round": String(round), "labels": String(trainIdx.count),
                              "outputs": classes.joined(separator: "\t")])
            .save(model: model, optimizer: nil, to: "\(folder)/\(relative)")
        return Trained(path: relative, value: value, labels: trainIdx.count)
    }

    func evalOptions(seed: UInt64) -> DataLoaderOptions {
        DataLoaderOptions(batchSize: max(64, training.batchSize), shuffle: false, dropLast: false, seed: seed,
                          workers: training.workers, cacheMegabytes: training.cacheMegabytes)
    }

    func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
}
