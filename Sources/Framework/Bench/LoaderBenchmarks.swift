import Foundation

/// Throughput of the input pipeline, for `zoorun bench`. Each function returns images per
/// second; none is run by the tests (timings belong in benchmarks, not assertions).
public enum LoaderBenchmarks {
    /// Decode + augment + collate: one epoch over the first `limit` examples of `dataset`
    /// (all by default) in batches of `batchSize`, timed from the start of the epoch to the
    /// last batch, with a consumer that does nothing else.
    public static func loader(dataset: any Dataset, augmentation: AugmentationOptions? = AugmentationOptions(),
                              batchSize: Int = 128, workers: Int = DataLoaderOptions.defaultWorkers,
                              limit: Int? = nil, seed: UInt64 = 0) throws -> Double {
        let n = min(limit ?? dataset.count, dataset.count)
        let options = DataLoaderOptions(batchSize: batchSize, seed: seed, workers: workers)
        let loader = try DataLoader(dataset: dataset, indices: Array(0..<n), options: options,
                                    augmentation: augmentation)
        let start = DispatchTime.now().uptimeNanoseconds
        let epoch = loader.epoch(0)
        var images = 0
        while let batch = try epoch.next() { images += batch.count }
        return rate(images, since: start)
    }

    /// Augmentation alone on the calling thread: `count` draws applied to one synthetic
    /// `channels`×`size`×`size` image with a mask and a box.
    public static func augmentation(options: AugmentationOptions = AugmentationOptions(), channels: Int = 3,
                                    size: Int = 128, count: Int = 1000, seed: UInt64 = 0) throws -> Double {
        var rng = RandomGenerator(seed: seed)
        var image = Image(channels: channels, height: size, width: size)
        for i in image.pixels.indices { image.pixels[i] = rng.uniform() }
        let example = Example(id: "bench", image: image, boxes: [
            BoundingBox(x1: Float(size) * 0.4, y1: Float(size) * 0.4, x2: Float(size) * 0.6, y2: Float(size) * 0.6),
        ])
        let augmenter = try Augmenter(options)
        let start = DispatchTime.now().uptimeNanoseconds
        var checksum: Float = 0
        for i in 0..<count {
            var r = RandomGenerator(seed: seed, stream: UInt64(i))
            checksum += try augmenter.apply(to: example, using: &r).example.image.pixels[0]
        }
        // Keep the work observable so the optimiser cannot drop it.
        if checksum.isNaN { return .nan }
        return rate(count, since: start)
    }

    static func rate(_ images: Int, since start: UInt64) -> Double {
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Double(images) / max(seconds, 1e-9)
    }
}
