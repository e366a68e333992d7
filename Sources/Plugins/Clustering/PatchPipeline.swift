import Foundation
import Framework

/// The patch pipeline of Hocking et al. 2018 and Martin et al. 2020, fitted: patch features
/// → standardisation (and PCA) → growing neural gas → agglomerative clustering of its nodes
/// into patch types → each galaxy's histogram of patch types → k-means of the galaxies.
///
/// Fitting streams patches: one pass draws a reservoir sample to fit the standardisation,
/// then each GNG epoch visits the galaxies in a fresh seeded order and feeds their patches
/// through a bounded shuffle buffer, so memory stays bounded by the buffer and the network
/// whatever the number of patches (features are cached only within `memoryBudgetMB`).
public struct PatchPipeline {
    public struct Options: Codable, Sendable, Equatable {
        public var patch = PatchExtractor.Options()
        public var features = PatchFeatures.Options()
        /// PCA dimensions after standardisation (0: none; `pixels` features default to 16).
        public var pcaComponents: Int?
        public var gng = GrowingNeuralGas.Options()
        /// Passes of every patch through the growing neural gas.
        public var epochs = 2
        /// Patches held for shuffling before they reach the network.
        public var shuffleBuffer = 20_000
        /// Patches sampled to fit the standardisation and PCA.
        public var fitSample = 20_000
        /// Patch types: groups the GNG nodes are clustered into.
        public var patchTypes = 20
        public var linkage: AgglomerativeClustering.Linkage = .ward
        /// k-means of the galaxies' patch-type histograms.
        public var galaxyClusters = KMeans.Options()
        /// Keep every galaxy's patch features in memory when they fit in this many MB.
        public var memoryBudgetMB = 512

        public init() {}

        enum CodingKeys: String, CodingKey {
            case patch, features, pcaComponents = "pca_components", gng, epochs, shuffleBuffer = "shuffle_buffer"
            case fitSample = "fit_sample", patchTypes = "patch_types", linkage, galaxyClusters = "galaxy_clusters"
            case memoryBudgetMB = "memory_budget_mb"
        }

        public func validate() throws {
            try patch.validate("task")
            try features.validate("task")
            try gng.validate("task.gng")
            try galaxyClusters.validate("task.galaxy_clusters")
            if epochs < 1 { throw ConfigError(file: "task", message: "epochs must be ≥ 1") }
            if shuffleBuffer < 1 || fitSample < 2 { throw ConfigError(file: "task", message: "shuffle_buffer must be ≥ 1 and fit_sample ≥ 2") }
            if patchTypes < 1 || patchTypes > gng.maxNodes {
                throw ConfigError(file: "task", message: "patch_types must be between 1 and gng.max_nodes (\(gng.maxNodes))")
            }
        }

        var pca: Int { pcaComponents ?? (features.kind == .pixels ? 16 : 0) }
    }

    public let options: Options
    public let features: PatchFeatures
    public var transform: FeatureTransform
    public var gng: GrowingNeuralGas
    /// Patch type of each GNG node (in `gng.nodes` order).
    public var nodeTypes: [Int]
    public var galaxyModel: KMeans
    /// GNG node positions, cached for assignment.
    let nodes: FeatureMatrix

    public init(options: Options, features: PatchFeatures, transform: FeatureTransform, gng: GrowingNeuralGas,
                nodeTypes: [Int], galaxyModel: KMeans) {
        self.options = options
        self.features = features
        self.transform = transform
        self.gng = gng
        self.nodeTypes = nodeTypes
        self.galaxyModel = galaxyModel
        nodes = gng.nodes
    }

    /// Counts of the fit, for the report and the log.
    public struct FitLog: Sendable {
        public var patchesPerEpoch = 0
        public var galaxiesWithoutPatches = 0
        public var gngSeconds = 0.0
        public var quantisationError = 0.0
    }

    /// The patch type of each row of already-transformed features, and the nearest node.
    public func patchTypes(_ z: FeatureMatrix) throws -> [(type: Int, node: Int)] {
        guard z.rows > 0 else { return [] }
        return ClusterAssignment.nearest(squaredDistances: try z.squaredDistances(to: nodes), rows: z.rows, centres: nodes.rows)
            .map { (nodeTypes[$0.cluster], $0.cluster) }
    }

    /// The normalised patch-type histogram of one galaxy's raw patch features (all zeros
    /// when no patch passed the S/N cut).
    public func histogram(_ patches: PatchFeatures.GalaxyPatches) throws -> [Float] {
        var h = [Float](repeating: 0, count: options.patchTypes)
        guard patches.features.rows > 0 else { return h }
        for t in try patchTypes(transform.apply(patches.features)) { h[t.type] += 1 }
        return h.map { $0 / Float(patches.features.rows) }
    }

    /// Galaxy clusters of images (new galaxies: `zoorun predict`).
    public func assign(_ images: [Image]) throws -> [ClusterAssignment] {
        let rows = try images.map { try histogram(features.galaxy($0)) }
        return try galaxyModel.assign(FeatureMatrix(rows, what: "patch-type histograms"))
    }

    /// Fits the whole pipeline on `indices` of `dataset`.
    /// - Returns: the pipeline, every galaxy's histogram (rows in `indices` order) and the fit's log.
    public static func fit(options: Options, features: PatchFeatures, dataset: any Dataset, indices: [Int], seed: UInt64,
                           log: @escaping (String) -> Void) throws -> (PatchPipeline, histograms: FeatureMatrix, log: FitLog) {
        var fitLog = FitLog()
        var cache: [PatchFeatures.GalaxyPatches?] = Array(repeating: nil, count: indices.count)
        var cachedBytes = 0, caching = options.memoryBudgetMB > 0
        func galaxy(_ r: Int) throws -> PatchFeatures.GalaxyPatches {
            if let g = cache[r] { return g }
            let g = try features.galaxy(dataset.example(at: indices[r]).image)
            if caching {
                cachedBytes += g.features.values.count * 4
                if cachedBytes > options.memoryBudgetMB << 20 { caching = false; cache = Array(repeating: nil, count: indices.count) }
                else { cache[r] = g }
            }
            return g
        }
        var progress = ProgressLine(label: "zoorun: patches", total: indices.count, log: log)

        // 1. Reservoir sample of raw patch features (Algorithm R), to fit the transform.
        var rng = RandomGenerator(seed: seed, stream: 0x5041_5443)
        var sample: [Float] = [], width = 0, seen = 0
        for r in indices.indices {
            let g = try galaxy(r)
            if g.features.rows == 0 { fitLog.galaxiesWithoutPatches += 1 }
            width = max(width, g.features.cols)
            for i in 0..<g.features.rows {
                seen += 1
                if seen <= options.fitSample { sample += g.features.row(i) }
                else {
                    let j = Int(rng.next() % UInt64(seen))
                    if j < options.fitSample { sample.replaceSubrange((j * width)..<((j + 1) * width), with: g.features.row(i)) }
                }
            }
            progress.update(r + 1, note: "\(seen) patches kept")
        }
        fitLog.patchesPerEpoch = seen
        guard seen >= 2 else {
            throw TensorError.invalidArgument(op: "patch clustering", message: "only \(seen) patches passed patch.min_snr \(options.patch.minSNR); lower it")
        }
        let transform = try FeatureTransform.fit(FeatureMatrix(rows: sample.count / width, cols: width, values: sample),
                                                 standardise: true, components: options.pca)
        log("zoorun: \(seen) patches of \(width) raw features → \(transform.outputWidth) after standardisation\(options.pca > 0 ? " and PCA" : "")")

        // 2. Growing neural gas, streaming every patch `epochs` times through a shuffle buffer.
        var gng = GrowingNeuralGas(dimensions: transform.outputWidth, options: options.gng)
        let started = Date()
        let d = transform.outputWidth
        var buffer = [Float](), bufferCount = 0
        buffer.reserveCapacity(min(options.shuffleBuffer, seen) * d)
        func feed(_ z: FeatureMatrix) {
            for i in 0..<z.rows {
                if bufferCount < options.shuffleBuffer {
                    buffer += z.row(i)
                    bufferCount += 1
                    continue
                }
                // Buffer full: a random resident goes to the network, the new patch takes its place.
                let j = Int(rng.next() % UInt64(bufferCount))
                buffer.withUnsafeBufferPointer { gng.learn(UnsafeBufferPointer(rebasing: $0[(j * d)..<((j + 1) * d)])) }
                buffer.replaceSubrange((j * d)..<((j + 1) * d), with: z.row(i))
            }
        }
        for epoch in 0..<options.epochs {
            var order = Array(indices.indices)
            rng.shuffle(&order)
            var p = ProgressLine(label: "zoorun: gng epoch \(epoch + 1)/\(options.epochs)", total: order.count, log: log)
            for (n, r) in order.enumerated() {
                let g = try galaxy(r)
                if g.features.rows > 0 { feed(try transform.apply(g.features)) }
                p.update(n + 1, note: "\(gng.nodeCount) nodes, \(gng.edgeCount) edges")
            }
        }
        // Drain the buffer in random order.
        while bufferCount > 0 {
            let j = Int(rng.next() % UInt64(bufferCount))
            buffer.withUnsafeBufferPointer { gng.learn(UnsafeBufferPointer(rebasing: $0[(j * d)..<((j + 1) * d)])) }
            let last = bufferCount - 1
            if j != last { buffer.replaceSubrange((j * d)..<((j + 1) * d), with: buffer[(last * d)..<((last + 1) * d)]) }
            buffer.removeLast(d)
            bufferCount -= 1
        }
        fitLog.gngSeconds = Date().timeIntervalSince(started)
        let nodes = gng.nodes
        log("zoorun: growing neural gas: \(nodes.rows) nodes, \(gng.edgeCount) edges, \(Set(gng.components()).count) connected components, \(String(format: "%.1f", fitLog.gngSeconds)) s")

        // 3. Patch types: agglomerative clustering of the nodes.
        let types = min(options.patchTypes, nodes.rows)
        let nodeTypes = try AgglomerativeClustering(nodes, linkage: options.linkage).labels(groups: types)
        var o = options
        o.patchTypes = types

        // 4. Histograms and 5. k-means of the galaxies.
        var pipeline = PatchPipeline(options: o, features: features, transform: transform, gng: gng, nodeTypes: nodeTypes,
                                     galaxyModel: KMeans(centres: FeatureMatrix(rows: 0, cols: types, values: [])))
        var rows: [Float] = [], qe = 0.0, qn = 0
        var p = ProgressLine(label: "zoorun: histograms", total: indices.count, log: log)
        for r in indices.indices {
            let g = try galaxy(r)
            rows += try pipeline.histogram(g)
            if g.features.rows > 0, r % 7 == 0 {
                // Quantisation error on every seventh galaxy: a cheap, unbiased estimate.
                let a = try gng.nearestNodes(transform.apply(g.features))
                qe += a.reduce(0.0) { $0 + Double($1.distance) }
                qn += a.count
            }
            p.update(r + 1, note: "")
        }
        fitLog.quantisationError = qn > 0 ? qe / Double(qn) : .nan
        let histograms = FeatureMatrix(rows: indices.count, cols: types, values: rows)
        pipeline.galaxyModel = try KMeans.fit(histograms, options: options.galaxyClusters, seed: seed)
        return (pipeline, histograms, fitLog)
    }
}
