/// The shared machinery of every optimizer: parameter groups, a schedule multiplier,
/// `zeroGrad`, and per-parameter state that can be saved and restored for `--resume`.
open class Optimizer {
    public var groups: [ParameterGroup]
    /// Multiplies every group's learning rate; schedules set it each step.
    public var learningRateMultiplier: Float = 1
    /// Steps taken so far.
    public internal(set) var stepCount = 0
    /// Per-parameter state slots (momentum, Adam moments), by global parameter index.
    var slots: [[String: [Float]]]

    public init(groups: [ParameterGroup]) {
        self.groups = groups
        self.slots = Array(repeating: [:], count: groups.reduce(0) { $0 + $1.parameters.count })
    }

    /// Clears the gradients of every parameter.
    public func zeroGrad() {
        for g in groups { for p in g.parameters { p.grad = nil } }
    }

    /// Applies one update to every parameter that has a gradient.
    public func step() {
        stepCount += 1
        var index = 0
        for group in groups {
            let lr = group.learningRate * learningRateMultiplier
            for p in group.parameters {
                defer { index += 1 }
                guard let g = p.grad else { continue }
                update(p, grad: g.storage, lr: lr, weightDecay: group.weightDecay, slots: &slots[index])
            }
        }
    }

    /// One parameter's update; subclasses implement their rule here.
    open func update(_ p: Tensor, grad: [Float], lr: Float, weightDecay: Float, slots: inout [String: [Float]]) {
        preconditionFailure("\(type(of: self)) must override update(_:grad:lr:weightDecay:slots:)")
    }

    /// The state to checkpoint: every slot as a flat tensor keyed `state.<param>.<slot>`,
    /// plus the step count.
    public func stateDict() -> [String: Tensor] {
        var d: [String: Tensor] = ["step": Tensor.scalar(Float(stepCount))]
        for (i, s) in slots.enumerated() {
            for (k, v) in s { d["state.\(i).\(k)"] = Tensor(unchecked: [v.count], storage: v) }
        }
        return d
    }

    /// Restores what `stateDict()` saved.
    public func load(stateDict d: [String: Tensor]) throws {
        stepCount = Int(d["step"]?.storage.first ?? 0)
        for i in slots.indices { slots[i] = [:] }
        for (key, t) in d where key.hasPrefix("state.") {
            let parts = key.split(separator: ".", maxSplits: 2)
            guard parts.count == 3, let i = Int(parts[1]), i < slots.count else {
                throw TensorError.invalidArgument(op: "optimizer state", message: "unexpected key '\(key)' for \(slots.count) parameters")
            }
            slots[i][String(parts[2])] = t.storage
        }
    }
}
