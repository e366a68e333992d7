/// Checkpoints in timm's safetensors layout: load one into a model by state_dict key, or save
/// a model so that timm (`load_state_dict`) and this loader read it back.
///
/// Files are untrusted: `SafeTensors.read` validates the header before any data is read, and
/// every key and shape is checked against the model before a value is copied.
public enum PretrainedWeights {
    /// What a load did: the key-by-key report and any input-channel adaptation.
    public struct Loaded: CustomStringConvertible {
        public var report: LoadReport
        /// The stem convolution's key when its weight was adapted from the file's input
        /// channels to the model's (e.g. an RGB checkpoint into a 1-channel model).
        public var adaptedInput: (key: String, fileChannels: Int, modelChannels: Int)?
        /// The file's `__metadata__` map.
        public var metadata: [String: String]

        /// Every key of the file and the model matched in name and shape.
        public var isClean: Bool { report.isClean }

        public var description: String {
            var text = report.description
            if let a = adaptedInput {
                text += "\nadapted '\(a.key)' from \(a.fileChannels) to \(a.modelChannels) input channels"
            }
            return text
        }
    }

    /// Loads the safetensors file at `path` into `model` by key.
    ///
    /// Strict (the default) throws `StateDictError` listing every missing key, unexpected key
    /// and shape mismatch at once, and changes nothing; `strict: false` loads the tensors that
    /// match and reports the rest. With `adaptInputChannels`, a 3-channel stem convolution
    /// meets a model with other input channels as timm's `adapt_input_conv` does: summed over
    /// the colour channels for one channel, else the colours repeated and scaled by 3/C.
    @discardableResult
    public static func load(_ path: String, into model: Module, strict: Bool = true,
                            adaptInputChannels: Bool = true) throws -> Loaded {
        let file = try SafeTensors.read(path: path)
        var values: [String: Tensor] = [:]
        values.reserveCapacity(file.entries.count)
        for (name, entry) in file.entries {
            values[name] = try Tensor(shape: entry.shape, storage: entry.values)
        }
        var adapted: (String, Int, Int)?
        if adaptInputChannels, let (key, target) = inputConvolution(of: model),
           let weight = values[key], let converted = adaptInput(weight, toShape: target.shape) {
            values[key] = converted
            adapted = (key, weight.shape[1], target.shape[1])
        }
        let report = try model.load(values, strict: strict, source: path)
        return Loaded(report: report, adaptedInput: adapted, metadata: file.metadata)
    }

    /// Writes every parameter and buffer of `model` under its key, `num_batches_tracked` as
    /// I64 as PyTorch stores it, atomically.
    public static func save(_ model: Module, to path: String, metadata: [String: String] = [:]) throws {
        let entries = model.stateDict().map { name, tensor in
            SafeTensorsEntry(name: name, dtype: name.hasSuffix("num_batches_tracked") ? .I64 : .F32, tensor: tensor)
        }
        try SafeTensors.write(entries, metadata: metadata, to: path)
    }

    /// The stem convolution: the first 4-D tensor in state_dict order (`conv1.weight`,
    /// `conv_stem.weight`, `stem.0.weight` for the backbones here).
    static func inputConvolution(of model: Module) -> (key: String, tensor: Tensor)? {
        model.namedTensors().first { $0.tensor.rank == 4 }.map { ($0.name, $0.tensor) }
    }

    /// A 3-input-channel convolution weight [O, 3, kh, kw] rewritten for `shape` [O, C, kh, kw];
    /// nil when the two differ in anything else, or the file is not 3-channel.
    static func adaptInput(_ weight: Tensor, toShape shape: [Int]) -> Tensor? {
        let from = weight.shape
        guard from.count == 4, shape.count == 4, from[1] == 3, shape[1] != 3, shape[1] > 0,
              from[0] == shape[0], from[2] == shape[2], from[3] == shape[3] else { return nil }
        let out = shape[0], channels = shape[1], plane = shape[2] * shape[3]
        var values = [Float](repeating: 0, count: out * channels * plane)
        let scale: Float = channels == 1 ? 1 : 3 / Float(channels)
        weight.storage.withUnsafeBufferPointer { w in
            for o in 0..<out {
                for c in 0..<channels {
                    let dst = (o * channels + c) * plane
                    // One channel: the sum of R, G and B; more: the colours cycled.
                    let sources = channels == 1 ? [0, 1, 2] : [c % 3]
                    for s in sources {
                        let src = (o * 3 + s) * plane
                        for i in 0..<plane { values[dst + i] += w[src + i] * scale }
                    }
                }
            }
        }
        return Tensor(unchecked: shape, storage: values)
    }
}
