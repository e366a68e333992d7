/// Parameters that share a learning rate and weight decay (layer-wise decay gives each
/// backbone block its own group).
public struct ParameterGroup {
    public var name: String
    public var parameters: [Tensor]
    /// The group's base learning rate; a schedule scales it through the optimizer's multiplier.
    public var learningRate: Float
    public var weightDecay: Float

    public init(name: String = "default", parameters: [Tensor], learningRate: Float, weightDecay: Float = 0) {
        self.name = name
        self.parameters = parameters
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }
}
