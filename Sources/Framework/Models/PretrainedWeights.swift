/// Loads a safetensors state dict into a module by key: strict by default (every missing
/// key, unexpected key and shape mismatch reported at once), or only what matches.
public enum PretrainedWeights {
    @discardableResult
    public static func load(_ path: String, into module: Module, strict: Bool = true) throws -> LoadReport {
        let file = try SafeTensors.read(path: path)
        var tensors: [String: Tensor] = [:]
        for name in file.names { tensors[name] = try file.tensor(name) }
        return try module.load(tensors, strict: strict, source: path)
    }
}
