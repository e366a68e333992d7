import Foundation

/// A training checkpoint in one safetensors file: the model's state dict (its own keys,
/// `num_batches_tracked` as I64 as PyTorch writes it), the first optimizer's state under
/// `optimizer.*` and any further optimizer's under `optimizers.<name>.*` (adversarial
/// training), and the metrics history and epoch in the metadata. Written atomically.
public struct Checkpoint {
    /// Finished epochs.
    public var epoch: Int
    public var history: [[String: Double]]
    /// Free-form facts (task kind, class names, backbone kind, config) for `predict`.
    public var info: [String: String]

    public init(epoch: Int, history: [[String: Double]], info: [String: String] = [:]) {
        self.epoch = epoch
        self.history = history
        self.info = info
    }

    // Exact round trips (a resumed run's metrics must equal an uninterrupted run's), NaN kept.
    static let historyEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }()
    static let historyDecoder: JSONDecoder = {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }()

    /// Writes model (and optionally optimizer) state to `path`.
    public func save(model: Module, optimizer: Optimizer?, to path: String) throws {
        try save(model: model, optimizers: optimizer.map { [("model", $0)] } ?? [], to: path)
    }

    /// Writes model state and every optimizer's state to `path`.
    public func save(model: Module, optimizers: [(name: String, optimizer: Optimizer)], to path: String) throws {
        var entries: [SafeTensorsEntry] = []
        for (name, t) in model.stateDict() {
            let isCounter = name.hasSuffix("num_batches_tracked")
            entries.append(SafeTensorsEntry(name: name, dtype: isCounter ? .I64 : .F32, tensor: t))
        }
        for (i, o) in optimizers.enumerated() {
            let prefix = i == 0 ? "optimizer." : "optimizers.\(o.name)."
            for (name, t) in o.optimizer.stateDict() {
                entries.append(SafeTensorsEntry(name: prefix + name, tensor: t))
            }
        }
        var metadata = info
        metadata["epoch"] = String(epoch)
        metadata["history"] = String(decoding: try Self.historyEncoder.encode(history), as: UTF8.self)
        metadata["format"] = "zoorun-checkpoint-1"
        try SafeTensors.write(entries, metadata: metadata, to: path)
    }

    /// Reads a checkpoint: loads the model's tensors (strict), the optimizer state if one is
    /// given and the file has it, and returns the epoch/history/info.
    @discardableResult
    public static func load(from path: String, model: Module, optimizer: Optimizer?, strict: Bool = true) throws -> Checkpoint {
        try load(from: path, model: model, optimizers: optimizer.map { [("model", $0)] } ?? [], strict: strict)
    }

    /// Reads a checkpoint written with several optimizers (matched by position and name).
    @discardableResult
    public static func load(from path: String, model: Module, optimizers: [(name: String, optimizer: Optimizer)],
                            strict: Bool = true) throws -> Checkpoint {
        let file = try SafeTensors.read(path: path)
        var modelTensors: [String: Tensor] = [:]
        var optimizerTensors: [String: [String: Tensor]] = [:]
        let prefixes = optimizers.enumerated().map { i, o in (o.name, i == 0 ? "optimizer." : "optimizers.\(o.name).") }
        for name in file.names {
            let t = try file.tensor(name)
            if let (owner, prefix) = prefixes.first(where: { name.hasPrefix($0.1) }) {
                optimizerTensors[owner, default: [:]][String(name.dropFirst(prefix.count))] = t
            } else if name.hasPrefix("optimizer.") || name.hasPrefix("optimizers.") {
                continue  // state of an optimizer the caller did not ask for
            } else {
                modelTensors[name] = t
            }
        }
        try model.load(modelTensors, strict: strict, source: path)
        for o in optimizers {
            if let d = optimizerTensors[o.name], !d.isEmpty { try o.optimizer.load(stateDict: d) }
        }
        var history: [[String: Double]] = []
        if let text = file.metadata["history"] {
            do { history = try Self.historyDecoder.decode([[String: Double]].self, from: Data(text.utf8)) } catch {
                throw ConfigError(file: path, message: "the checkpoint's metrics history is not readable: \(error)")
            }
        }
        var info = file.metadata
        info.removeValue(forKey: "history")
        return Checkpoint(epoch: Int(file.metadata["epoch"] ?? "0") ?? 0, history: history, info: info)
    }
}
