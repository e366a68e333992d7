import Framework

/// A backbone and a head: images → pooled representation → head outputs. State-dict keys
/// are `encoder.*` and `head.*`.
public final class ClassifierModel: Module {
    public let encoder: any Backbone
    public let head: any Head

    public init(encoder: any Backbone, head: any Head) {
        self.encoder = encoder
        self.head = head
        super.init()
    }

    override public func children() -> [(key: String, module: Module)] {
        [("encoder", encoder), ("head", head)]
    }

    /// Raw head outputs for images [N, C, H, W].
    public func callAsFunction(_ images: Tensor) throws -> Tensor {
        try head(encoder.embed(images))
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
