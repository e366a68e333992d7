import Foundation
import Framework

/// Saving a fitted patch pipeline (and the backbone it may use) as one safetensors file, and
/// loading it back to assign new galaxies.
extension PatchPipeline {
    /// Tensors under `transform.`, `gng.`, `galaxy_kmeans.`; the options as JSON metadata.
    func entries() throws -> (entries: [SafeTensorsEntry], metadata: [String: String]) {
        var e = transform.entries(prefix: "transform.")
        let n = nodes
        e.append(SafeTensorsEntry(name: "gng.nodes", shape: [n.rows, n.cols], values: n.values))
        let edges = gng.edgeList
        e.append(SafeTensorsEntry(name: "gng.edges", shape: [edges.count, 2], values: edges.flatMap { [Float($0.0), Float($0.1)] }))
        e.append(SafeTensorsEntry(name: "gng.node_types", shape: [nodeTypes.count], values: nodeTypes.map(Float.init)))
        let c = galaxyModel.centres
        e.append(SafeTensorsEntry(name: "galaxy_kmeans.centres", shape: [c.rows, c.cols], values: c.values))
        let json = String(decoding: try JSONEncoder().encode(options), as: UTF8.self)
        return (e, ["patch_pipeline": json])
    }

    /// The pipeline saved in `file`, with `backbone` for `features.kind: backbone`.
    init(file: SafeTensorsFile, backbone: (any Backbone)?) throws {
        guard let json = file.metadata["patch_pipeline"] else {
            throw TensorError.invalidArgument(op: "patch pipeline", message: "\(file.path) has no patch_pipeline metadata; is it a patch-clustering model?")
        }
        let options = try JSONDecoder().decode(Options.self, from: Data(json.utf8))
        let features = try PatchFeatures(options: options.features, patch: options.patch, backbone: backbone)
        let transform = try FeatureTransform(file: file, prefix: "transform.")
        let nodes = try file.matrix("gng.nodes")
        let edges = try file.matrix("gng.edges")
        let pairs = (0..<edges.rows).map { (Int(edges.values[2 * $0]), Int(edges.values[2 * $0 + 1])) }
        var gngOptions = options.gng
        gngOptions.maxNodes = max(gngOptions.maxNodes, nodes.rows)
        let gng = GrowingNeuralGas(dimensions: nodes.cols, options: gngOptions, nodes: nodes, edgeList: pairs)
        let types = try file.tensor("gng.node_types").storage.map { Int($0) }
        guard types.count == nodes.rows else {
            throw TensorError.invalidArgument(op: "patch pipeline", message: "\(file.path): gng.node_types has \(types.count) entries for \(nodes.rows) nodes")
        }
        self.init(options: options, features: features, transform: transform, gng: gng, nodeTypes: types,
                  galaxyModel: KMeans(centres: try file.matrix("galaxy_kmeans.centres")))
    }
}

extension FeatureTransform {
    func entries(prefix: String) -> [SafeTensorsEntry] {
        var e = [SafeTensorsEntry(name: prefix + "mean", shape: [mean.count], values: mean),
                 SafeTensorsEntry(name: prefix + "scale", shape: [scale.count], values: scale)]
        if let components, let pcaMean {
            e.append(SafeTensorsEntry(name: prefix + "pca_mean", shape: [pcaMean.count], values: pcaMean))
            e.append(SafeTensorsEntry(name: prefix + "components", shape: [components.rows, components.cols], values: components.values))
        }
        return e
    }

    init(file: SafeTensorsFile, prefix: String) throws {
        self.init(mean: try file.tensor(prefix + "mean").storage, scale: try file.tensor(prefix + "scale").storage)
        if file.entries[prefix + "components"] != nil {
            pcaMean = try file.tensor(prefix + "pca_mean").storage
            components = try file.matrix(prefix + "components")
        }
    }
}

extension SafeTensorsFile {
    /// A 2-d tensor as a feature matrix; throws naming the tensor otherwise.
    func matrix(_ name: String) throws -> FeatureMatrix {
        let t = try tensor(name)
        guard t.shape.count == 2 else {
            throw TensorError.invalidArgument(op: "clustering model", message: "\(path): tensor '\(name)' has shape \(t.shape), expected 2-d")
        }
        return FeatureMatrix(rows: t.shape[0], cols: t.shape[1], values: t.storage)
    }
}
