import Framework

/// A backbone and a head: images → (standardised images →) pooled representation → head
/// outputs. State-dict keys are `input_norm.*` (when the data asks for `normalize: true`),
/// `encoder.*` and `head.*`.
public final class ClassifierModel: Module {
    public let inputNorm: InputNormalization?
    public let encoder: any Backbone
    public let head: any Head

    public init(encoder: any Backbone, head: any Head, inputNorm: InputNormalization? = nil) {
        self.inputNorm = inputNorm
        self.encoder = encoder
        self.head = head
        super.init()
    }

    override public func children() -> [(key: String, module: Module)] {
        (inputNorm.map { [("input_norm", $0 as Module)] } ?? []) + [("encoder", encoder), ("head", head)]
    }

    /// The pooled representation of images [N, C, H, W], after the input standardisation.
    public func embed(_ images: Tensor) throws -> Tensor {
        try encoder.embed(inputNorm.map { try $0(images) } ?? images)
    }

    /// Raw head outputs for images [N, C, H, W].
    public func callAsFunction(_ images: Tensor) throws -> Tensor {
        try head(embed(images))
    }

    /// Parameter groups with Zoobot's layer-wise learning-rate decay: the head at `lr`, the
    /// last backbone block at lr·decay, the one below at lr·decay², … down to the stem.
    /// Frozen parameters are left out.
    public func parameterGroups(learningRate lr: Float, layerDecay: Float, weightDecay: Float) -> [ParameterGroup] {
        var groups = [ParameterGroup(name: "head", parameters: head.trainableParameters(),
                                     learningRate: lr, weightDecay: weightDecay)]
        let params = encoder.namedParameters().filter(\.tensor.requiresGrad)
        var assigned = Set<ObjectIdentifier>()
        var rate = lr
        for prefix in encoder.blockPrefixes.reversed() {
            rate *= layerDecay
            let members = params.filter { $0.name == prefix || $0.name.hasPrefix(prefix + ".") }.map(\.tensor)
            members.forEach { assigned.insert(ObjectIdentifier($0)) }
            if !members.isEmpty {
                groups.append(ParameterGroup(name: "encoder.\(prefix)", parameters: members, learningRate: rate,
                                             weightDecay: weightDecay))
            }
        }
        // Anything outside the listed blocks (e.g. a final norm) trains with the last block.
        let rest = params.map(\.tensor).filter { !assigned.contains(ObjectIdentifier($0)) }
        if !rest.isEmpty {
            groups.append(ParameterGroup(name: "encoder.other", parameters: rest, learningRate: lr * layerDecay,
                                         weightDecay: weightDecay))
        }
        return groups
    }
}
