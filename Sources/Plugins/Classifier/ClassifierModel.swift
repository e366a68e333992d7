import Framework

/// A backbone and a head: images → (standardised images →) pooled representation → head
/// outputs. State-dict keys are `input_norm.*` (when the data asks for `normalize: true`),
/// `encoder.*` and `head.*`.
public final class ClassifierModel: Module, Embedder {
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

    /// Parameter groups with Zoobot's layer-wise learning-rate decay down the encoder.
    public func parameterGroups(learningRate lr: Float, layerDecay: Float, weightDecay: Float) -> [ParameterGroup] {
        ParameterGroup.layerDecayed(head: head.trainableParameters(), backbone: encoder, learningRate: lr,
                                    layerDecay: layerDecay, weightDecay: weightDecay)
    }
}
