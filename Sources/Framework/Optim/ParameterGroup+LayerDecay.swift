/// Zoobot's layer-wise learning-rate decay, for any head over any backbone.
extension ParameterGroup {
    /// The head at `lr`, the backbone's last block at lr·decay, the one below at lr·decay²,
    /// … down to the stem (`Backbone.blockPrefixes`, stem first). Frozen parameters are left
    /// out; backbone parameters outside every listed block train with the last block.
    public static func layerDecayed(head: [Tensor], backbone: any Backbone, learningRate lr: Float,
                                    layerDecay: Float, weightDecay: Float) -> [ParameterGroup] {
        var groups = [ParameterGroup(name: "head", parameters: head, learningRate: lr, weightDecay: weightDecay)]
        let params = backbone.namedParameters().filter(\.tensor.requiresGrad)
        var assigned = Set<ObjectIdentifier>()
        var rate = lr
        for prefix in backbone.blockPrefixes.reversed() {
            rate *= layerDecay
            let members = params.filter { $0.name == prefix || $0.name.hasPrefix(prefix + ".") }.map(\.tensor)
            members.forEach { assigned.insert(ObjectIdentifier($0)) }
            if !members.isEmpty {
                groups.append(ParameterGroup(name: "encoder.\(prefix)", parameters: members, learningRate: rate,
                                             weightDecay: weightDecay))
            }
        }
        let rest = params.map(\.tensor).filter { !assigned.contains(ObjectIdentifier($0)) }
        if !rest.isEmpty {
            groups.append(ParameterGroup(name: "encoder.other", parameters: rest, learningRate: lr * layerDecay,
                                         weightDecay: weightDecay))
        }
        return groups
    }
}
