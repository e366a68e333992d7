import Foundation
import Framework

/// The fitted clustering model of a run, `checkpoints/best.safetensors` (where `zoorun
/// predict` looks): the clusterer's tensors, the backbone's weights under `backbone.` when
/// the method embeds with one (predict rebuilds the backbone without its pretrained
/// weights), and metadata naming the task. Written atomically.
public enum ClusteringModelFile {
    public static let relativePath = "checkpoints/best.safetensors"

    static func write(_ entries: [SafeTensorsEntry], metadata: [String: String], task: String, backbone: (any Backbone)?,
                      folder: String) throws {
        var all = entries
        if let backbone {
            all += backbone.stateDict().map { name, t in
                SafeTensorsEntry(name: "backbone." + name, dtype: name.hasSuffix("num_batches_tracked") ? .I64 : .F32, tensor: t)
            }
        }
        var meta = metadata
        meta["task"] = task
        meta["config"] = try? String(contentsOfFile: "\(folder)/config.yaml", encoding: .utf8)
        try FileManager.default.createDirectory(atPath: "\(folder)/checkpoints", withIntermediateDirectories: true)
        try SafeTensors.write(all, metadata: meta, to: "\(folder)/\(relativePath)")
    }

    /// Loads the `backbone.` weights of `file` into `backbone` (strictly).
    static func loadBackbone(_ backbone: any Backbone, from file: SafeTensorsFile) throws {
        var values: [String: Tensor] = [:]
        for name in file.names where name.hasPrefix("backbone.") { values[String(name.dropFirst("backbone.".count))] = try file.tensor(name) }
        guard !values.isEmpty else {
            throw TensorError.invalidArgument(op: "clustering model", message: "\(file.path) holds no backbone weights")
        }
        _ = try backbone.load(values, strict: true, source: file.path)
    }
}
