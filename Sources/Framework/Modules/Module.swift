/// The base of every layer and model: discovers its parameters, buffers and submodules from
/// stored properties and names them with PyTorch state_dict dot-paths.
///
/// A stored `Tensor` (or `Tensor?`) property is a parameter named after the property; a
/// stored `Module` (or `Module?`) is a submodule; a stored `[Module]` is a list named
/// `name.0`, `name.1`, … (as `nn.ModuleList`). Subclasses rename keys with `keyNames` (Swift
/// `runningMean` → PyTorch `running_mean`) and declare buffers — tensors that are saved and
/// loaded but never trained, such as BatchNorm's running statistics — with `bufferKeys`.
open class Module {
    /// Train or eval mode; set it on the whole tree with `train()` / `eval()`.
    public internal(set) var training = true

    public init() {}

    /// Swift property name → state_dict key, for this class's own properties.
    open var keyNames: [String: String] { [:] }

    /// Keys (after renaming) of this module's own tensors that are buffers, not parameters.
    open var bufferKeys: Set<String> { [] }

    /// This module's own tensors, in declaration order, with their state_dict keys.
    open func localTensors() -> [(key: String, tensor: Tensor)] {
        var result: [(String, Tensor)] = []
        for (key, value) in storedProperties() {
            if let t = value as? Tensor { result.append((key, t)) }
            else if let opt = value as? Tensor?, let t = opt { result.append((key, t)) }
        }
        return result
    }

    /// Direct submodules with their key segments, in declaration order.
    open func children() -> [(key: String, module: Module)] {
        var result: [(String, Module)] = []
        for (key, value) in storedProperties() {
            if let sub = value as? Module { result.append((key, sub)) }
            else if let opt = value as? Module?, let sub = opt { result.append((key, sub)) }
            else if let list = value as? [Module] {
                for (i, sub) in list.enumerated() { result.append(("\(key).\(i)", sub)) }
            }
        }
        return result
    }

    /// Stored properties of this object and its superclasses, base class first, with their
    /// state_dict keys (after `keyNames`).
    private func storedProperties() -> [(key: String, value: Any)] {
        let renames = keyNames
        var chain: [Mirror] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        while let m = mirror { chain.append(m); mirror = m.superclassMirror }
        return chain.reversed().flatMap { m in
            m.children.compactMap { child in child.label.map { (renames[$0] ?? $0, child.value) } }
        }
    }

    /// Every module in the tree with its dot-path prefix ("" for self), depth first.
    public func namedModules(prefix: String = "") -> [(name: String, module: Module)] {
        var result: [(String, Module)] = [(prefix, self)]
        for (key, sub) in children() {
            result += sub.namedModules(prefix: prefix.isEmpty ? key : "\(prefix).\(key)")
        }
        return result
    }

    /// Every tensor in the tree (parameters and buffers) with its full key and kind.
    public func namedTensors() -> [(name: String, tensor: Tensor, isBuffer: Bool)] {
        var result: [(String, Tensor, Bool)] = []
        for (prefix, module) in namedModules() {
            let buffers = module.bufferKeys
            for (key, t) in module.localTensors() {
                result.append((prefix.isEmpty ? key : "\(prefix).\(key)", t, buffers.contains(key)))
            }
        }
        return result
    }

    /// Parameters (trainable or frozen), by state_dict key.
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        namedTensors().filter { !$0.isBuffer }.map { ($0.name, $0.tensor) }
    }

    /// Buffers (running statistics and counters), by state_dict key.
    public func namedBuffers() -> [(name: String, tensor: Tensor)] {
        namedTensors().filter { $0.isBuffer }.map { ($0.name, $0.tensor) }
    }

    /// Parameters that currently require grad.
    public func trainableParameters() -> [Tensor] {
        namedParameters().map(\.tensor).filter(\.requiresGrad)
    }

    /// Total number of parameter elements.
    public var parameterCount: Int { namedParameters().reduce(0) { $0 + $1.tensor.count } }

    /// Sets train mode on the whole tree.
    public func train(_ on: Bool = true) {
        for (_, m) in namedModules() { m.training = on }
    }

    /// Sets eval mode on the whole tree.
    public func eval() { train(false) }

    /// Stops gradients for every parameter whose key starts with `prefix` ("" = all). With
    /// `freezeStatistics` (the default, as finetuning wants) BatchNorm layers under the prefix
    /// also stop updating their running statistics and normalise with them.
    public func freeze(prefix: String = "", freezeStatistics: Bool = true) {
        setTrainable(false, prefix: prefix, statistics: freezeStatistics)
    }

    /// Undoes `freeze` for keys under `prefix`.
    public func unfreeze(prefix: String = "") {
        setTrainable(true, prefix: prefix, statistics: true)
    }

    private func setTrainable(_ trainable: Bool, prefix: String, statistics: Bool) {
        func under(_ name: String) -> Bool {
            prefix.isEmpty || name == prefix || name.hasPrefix(prefix + ".")
        }
        for (name, t) in namedParameters() where under(name) { t.requiresGrad = trainable }
        if statistics {
            for (name, m) in namedModules() where under(name) {
                (m as? StatisticsFreezable)?.statisticsFrozen = !trainable
            }
        }
    }
}

/// A module with a single-tensor forward pass: most layers and every backbone stage.
public protocol Layer: Module {
    func callAsFunction(_ x: Tensor) throws -> Tensor
}

/// A layer whose running statistics can be frozen (BatchNorm).
public protocol StatisticsFreezable: AnyObject {
    var statisticsFrozen: Bool { get set }
}
