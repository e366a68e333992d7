/// What a state-dict load did: every mismatch, reported at once.
public struct LoadReport: CustomStringConvertible {
    public var loaded: [String] = []
    public var missing: [String] = []
    public var unexpected: [String] = []
    public var shapeMismatches: [(key: String, model: [Int], file: [Int])] = []

    public var isClean: Bool { missing.isEmpty && unexpected.isEmpty && shapeMismatches.isEmpty }

    public var description: String {
        var lines = ["loaded \(loaded.count) tensors"]
        if !missing.isEmpty { lines.append("missing from the file (\(missing.count)): " + missing.joined(separator: ", ")) }
        if !unexpected.isEmpty { lines.append("in the file but not in the model (\(unexpected.count)): " + unexpected.joined(separator: ", ")) }
        for m in shapeMismatches { lines.append("shape mismatch for '\(m.key)': model \(m.model), file \(m.file)") }
        return lines.joined(separator: "\n")
    }
}

/// A strict load that found mismatches.
public struct StateDictError: Error, CustomStringConvertible {
    public var source: String
    public var report: LoadReport
    public var description: String {
        "\(source): weights do not match the model (use `strict: false` to load what matches)\n\(report)"
    }
}

extension Module {
    /// All tensors by key, parameters and buffers, as PyTorch's `state_dict()`.
    public func stateDict() -> [(name: String, tensor: Tensor)] {
        namedTensors().map { ($0.name, $0.tensor) }
    }

    /// Copies values into this module's tensors by key, in place (tensor identity is kept,
    /// so optimizers stay attached). Strict loading throws with every missing key,
    /// unexpected key and shape mismatch in one message; non-strict loads what matches and
    /// returns the rest in the report.
    @discardableResult
    public func load(_ values: [String: Tensor], strict: Bool = true, source: String = "state dict") throws -> LoadReport {
        var report = LoadReport()
        let mine = namedTensors()
        let myKeys = Set(mine.map(\.name))
        for (name, t, _) in mine {
            guard let v = values[name] else { report.missing.append(name); continue }
            guard v.shape == t.shape else {
                report.shapeMismatches.append((name, t.shape, v.shape))
                continue
            }
            report.loaded.append(name)
        }
        report.unexpected = values.keys.filter { !myKeys.contains($0) }.sorted()
        if strict && !report.isClean { throw StateDictError(source: source, report: report) }
        let ok = Set(report.loaded)
        for (name, t, _) in mine where ok.contains(name) {
            t.storage = values[name]!.storage
        }
        return report
    }
}
