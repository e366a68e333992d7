import TestSupport
import Foundation
import Testing
@testable import Framework

/// Every batch of one epoch, failing the test on a loader error.
private func collect(_ loader: DataLoader, epoch: Int) throws -> [Batch] {
    var out: [Batch] = []
    for result in loader.epoch(epoch) { out.append(try result.get()) }
    return out
}

/// A dataset whose images have the size of their index parity: to test the shape check.
private struct MixedSizes: Dataset {
    var count: Int { 4 }
    func id(at index: Int) -> String { "mixed\(index)" }
    func example(at index: Int) throws -> Example {
        Example(id: id(at: index), image: Image(channels: 1, height: 8 + index % 2, width: 8))
    }
}

/// Polls `condition` for up to 10 s, so that a slow machine does not fail a test.
private func waitFor(_ condition: () -> Bool) {
    let deadline = Date().addingTimeInterval(10)
    while !condition() && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
}

@Suite("Data loader", .timeLimit(.minutes(1)))
struct DataLoaderTests {
    @Test func sameSeedSameBatchesWhateverTheThreads() throws {
        let data = SyntheticDataset(count: 37)
        let aug = AugmentationOptions(outputSize: 12, noiseStd: 0.05)
        func run(workers: Int, prefetch: Int) throws -> [Batch] {
            let options = DataLoaderOptions(batchSize: 5, seed: 7, workers: workers, prefetch: prefetch)
            return try collect(DataLoader(dataset: data, options: options, augmentation: aug), epoch: 3)
        }
        let reference = try run(workers: 0, prefetch: 1)
        for (workers, prefetch) in [(1, 1), (2, 2), (4, 3)] {
            let other = try run(workers: workers, prefetch: prefetch)
            #expect(other.map(\.ids) == reference.map(\.ids))
            #expect(other.map(\.images.storage) == reference.map(\.images.storage))
            #expect(other.map(\.boxes) == reference.map(\.boxes))
            #expect(other.map { $0.masks["spot"]!.storage } == reference.map { $0.masks["spot"]!.storage })
        }
    }

    @Test func shuffleIsAPureFunctionOfSeedAndEpoch() throws {
        let data = SyntheticDataset(count: 50)
        let loader = try DataLoader(dataset: data, options: DataLoaderOptions(batchSize: 8, seed: 1))
        let again = try DataLoader(dataset: data, options: DataLoaderOptions(batchSize: 8, seed: 1))
        #expect(loader.order(epoch: 0) == again.order(epoch: 0))
        #expect(loader.order(epoch: 0) != loader.order(epoch: 1))
        #expect(loader.order(epoch: 0) != Array(0..<50))
        let otherSeed = try DataLoader(dataset: data, options: DataLoaderOptions(batchSize: 8, seed: 2))
        #expect(otherSeed.order(epoch: 0) != loader.order(epoch: 0))
        // The batches follow the order, and a different epoch gives different batches.
        let e0 = try collect(loader, epoch: 0), e1 = try collect(loader, epoch: 1)
        #expect(e0.flatMap(\.indices) == loader.order(epoch: 0))
        #expect(e0.map(\.ids) != e1.map(\.ids))
        let unshuffled = try DataLoader(dataset: data, options: DataLoaderOptions(batchSize: 8, shuffle: false))
        #expect(try collect(unshuffled, epoch: 4).flatMap(\.indices) == Array(0..<50))
    }

    @Test func everyIndexOnceAndDropLast() throws {
        let data = SyntheticDataset(count: 60)
        let split = Array(stride(from: 1, to: 60, by: 2)) + [0]   // 31 examples
        for dropLast in [false, true] {
            let options = DataLoaderOptions(batchSize: 4, dropLast: dropLast, seed: 5)
            let loader = try DataLoader(dataset: data, indices: split, options: options)
            for epoch in 0..<3 {
                let batches = try collect(loader, epoch: epoch)
                let seen = batches.flatMap(\.indices)
                #expect(batches.map(\.count) == (dropLast ? [Int](repeating: 4, count: 7) : [Int](repeating: 4, count: 7) + [3]))
                #expect(Set(seen).count == seen.count)
                if dropLast {
                    #expect(seen.count == 28 && Set(seen).isSubset(of: split))
                    #expect(seen == Array(loader.order(epoch: epoch).prefix(28)))
                } else {
                    #expect(seen.sorted() == split.sorted())
                }
                #expect(batches.count == loader.batchCount)
            }
        }
    }

    @Test func emptySplitYieldsNothing() throws {
        for workers in [0, 2] {
            let loader = try DataLoader(dataset: SyntheticDataset(count: 5), indices: [],
                                        options: DataLoaderOptions(batchSize: 4, workers: workers))
            let epoch = loader.epoch(0)
            #expect(loader.batchCount == 0 && epoch.batchCount == 0)
            #expect(try epoch.next() == nil)
            epoch.cancel()
            #expect(epoch.runningWorkers == 0)
        }
    }

    @Test func collatesTargets() throws {
        let data = SyntheticDataset(count: 6, channels: 2, size: 10)
        let loader = try DataLoader(dataset: data, options: DataLoaderOptions(batchSize: 6, shuffle: false),
                                    voteColumns: ["q_b", "q_a"], maskNames: ["spot", "arms"])
        let b = try #require(try collect(loader, epoch: 0).first)
        #expect(b.images.shape == [6, 2, 10, 10])
        #expect(b.images.storage[(3 * 2 + 1) * 100 + 17] == (try data.example(at: 3)).image[1, 1, 7])
        #expect(b.ids == (0..<6).map { "gal\($0)" })
        #expect(b.labels["index"] == [0, 1, 2, 3, 4, 5])
        #expect(b.votes?.shape == [6, 2] && b.votes?.storage == [0, 0, 2, 1, 4, 2, 6, 3, 8, 4, 10, 5])
        #expect(b.maskPresent["spot"] == [true, false, true, false, true, false])
        #expect(b.maskPresent["arms"] == [false, false, false, false, false, false])
        let spot = try #require(b.masks["spot"])
        #expect(spot.shape == [6, 1, 10, 10])
        #expect(spot.storage[0..<100].reduce(0, +) == 9 && spot.storage[100..<200].allSatisfy { $0 == 0 })
        #expect(b.boxes.count == 6 && b.boxes.allSatisfy { $0.count == 1 } && b.droppedBoxes == 0)
    }

    @Test func missingVoteColumnNamesExampleAndSuggests() throws {
        let loader = try DataLoader(dataset: SyntheticDataset(count: 3),
                                    options: DataLoaderOptions(batchSize: 3, shuffle: false), voteColumns: ["q_c"])
        #expect { try collect(loader, epoch: 0) } throws: { e in
            "\(e)" == "data loader: example 'gal0' (dataset index 0): no vote column 'q_c'; did you mean 'q_a'?"
        }
    }

    @Test func mixedSizesNeedAnOutputSize() throws {
        let plain = try DataLoader(dataset: MixedSizes(), options: DataLoaderOptions(batchSize: 4, shuffle: false))
        #expect { try collect(plain, epoch: 0) } throws: { e in
            "\(e)".contains("example 'mixed1'") && "\(e)".contains("output_size")
        }
        let resized = try DataLoader(dataset: MixedSizes(), options: DataLoaderOptions(batchSize: 4),
                                     augmentation: .none(outputSize: 6))
        #expect(try collect(resized, epoch: 0).first?.images.shape == [4, 1, 6, 6])
    }

    @Test("a failing example surfaces with its id after the batches before it", arguments: [0, 1, 3])
    func workerErrorNamesTheExample(workers: Int) throws {
        let data = SyntheticDataset(count: 40, failing: 13)
        let loader = try DataLoader(dataset: data, options: DataLoaderOptions(batchSize: 4, shuffle: false, workers: workers))
        let epoch = loader.epoch(0)
        var delivered: [Int] = []
        var caught: DataLoaderError?
        for result in epoch {
            switch result {
            case let .success(b): delivered.append(b.number)
            case let .failure(e): caught = e
            }
        }
        #expect(delivered == [0, 1, 2])
        #expect(caught?.exampleID == "gal13" && caught?.index == 13)
        #expect(caught.map { "\($0)" } == "data loader: example 'gal13' (dataset index 13): synthetic decoder failure")
        #expect(try epoch.next() == nil)
        epoch.cancel()
        #expect(epoch.runningWorkers == 0)
    }

    @Test func throwingStyleRethrows() throws {
        let loader = try DataLoader(dataset: SyntheticDataset(count: 10, failing: 6),
                                    options: DataLoaderOptions(batchSize: 3, seed: 2))
        let epoch = loader.epoch(0)
        var count = 0
        #expect(throws: DataLoaderError.self) {
            while let b = try epoch.next() { count += b.count }
        }
        // Everything before the failing example's batch arrived.
        let failingBatch = loader.order(epoch: 0).firstIndex(of: 6)! / 3
        #expect(count == failingBatch * 3)
    }

    @Test func prefetchIsBounded() throws {
        let data = SyntheticDataset(count: 100)
        let loader = try DataLoader(dataset: data, options: DataLoaderOptions(batchSize: 4, workers: 2, prefetch: 2))
        let epoch = loader.epoch(0)
        // Nothing consumed: workers stop after filling the window of 2 batches.
        waitFor { data.loads >= 8 }
        Thread.sleep(forTimeInterval: 0.2)
        #expect(data.loads == 8)
        // Taking one batch opens room for exactly one more.
        _ = try epoch.next()
        waitFor { data.loads >= 12 }
        Thread.sleep(forTimeInterval: 0.2)
        #expect(data.loads == 12)
        epoch.cancel()
    }

    @Test func stoppingEarlyStopsTheWorkers() throws {
        let data = SyntheticDataset(count: 400, delay: 0.002)
        let loader = try DataLoader(dataset: data, options: DataLoaderOptions(batchSize: 4, workers: 2, prefetch: 2))
        let epoch = loader.epoch(0)
        _ = try epoch.next()
        epoch.cancel()
        #expect(epoch.runningWorkers == 0)
        #expect(try epoch.next() == nil)
        #expect(data.loads <= 4 + 2 * 4 + 2)

        // Breaking out of a for loop drops the epoch, which stops its workers too.
        var pipeline: LoaderPipeline?
        do {
            let e = loader.epoch(1)
            pipeline = e.pipeline
            for result in e {
                _ = try result.get()
                break
            }
        }
        waitFor { pipeline!.runningWorkers == 0 }
        #expect(pipeline!.runningWorkers == 0)
        #expect(data.loads < 100)
    }

    @Test func cacheServesIdenticalPixels() throws {
        let data = SyntheticDataset(count: 12)
        let options = DataLoaderOptions(batchSize: 5, seed: 3, cacheMegabytes: 4)
        let aug = AugmentationOptions(outputSize: 16)
        let cached = try DataLoader(dataset: data, options: options, augmentation: aug)
        let first = try collect(cached, epoch: 2)
        #expect(data.loads == 12)
        let second = try collect(cached, epoch: 2)
        #expect(data.loads == 12)   // every example came from the cache
        #expect(cached.cacheStatistics.hits == 12 && cached.cacheStatistics.misses == 12)
        #expect(second.map(\.images.storage) == first.map(\.images.storage))
        // And the cache changes nothing: a loader without one gives the same pixels.
        let uncached = try DataLoader(dataset: data, options: DataLoaderOptions(batchSize: 5, seed: 3), augmentation: aug)
        #expect(try collect(uncached, epoch: 2).map(\.images.storage) == first.map(\.images.storage))
    }

    @Test func cacheKeepsToItsBudget() throws {
        // 3×128×128 floats are 192 KiB, plus 64 KiB for the mask of even examples: 1 MiB
        // holds examples 0–3 (one thread, so they arrive in order) and no more.
        let data = SyntheticDataset(count: 10, size: 128)
        let options = DataLoaderOptions(batchSize: 5, shuffle: false, workers: 0, cacheMegabytes: 1)
        let loader = try DataLoader(dataset: data, options: options)
        _ = try collect(loader, epoch: 0)
        let stats = loader.cacheStatistics
        #expect(stats.bytes <= 1 << 20 && stats.bytes > 0)
        _ = try collect(loader, epoch: 1)
        #expect(data.loads == 10 + 10 - loader.cacheStatistics.hits)
        #expect(loader.cacheStatistics.hits == 4)
    }

    @Test func optionsDecodeAndValidate() throws {
        let yaml = "batch_size: 64\ndrop_last: true\nworkers: 3\ncache_mb: 128\n"
        let node = try ConfigDecoder.parse(yaml, file: "l.yaml")
        let o = try ConfigDecoder(source: ConfigSource(file: "l.yaml", text: yaml)).decode(DataLoaderOptions.self, from: node)
        #expect(o == DataLoaderOptions(batchSize: 64, dropLast: true, workers: 3, cacheMegabytes: 128))
        let bad = "batch_size: 0\n"
        #expect {
            try ConfigDecoder(source: ConfigSource(file: "l.yaml", text: bad))
                .decode(DataLoaderOptions.self, from: ConfigDecoder.parse(bad, file: "l.yaml"))
        } throws: { e in "\(e)".hasPrefix("l.yaml:1:13: error: 'batch_size': 'batch_size' must be between 1") }
        #expect(throws: DataLoaderError.self) {
            try DataLoader(dataset: SyntheticDataset(count: 3), indices: [0, 3])
        }
    }
}
