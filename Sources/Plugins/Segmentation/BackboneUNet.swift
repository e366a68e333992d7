import Framework

/// A registered backbone as the U-Net's encoder, with `UNetDecoder` on its feature maps.
final class BackboneUNet: Module, MaskNetwork {
    let backbone: any Backbone
    let decoder: UNetDecoder

    init(backbone: any Backbone, context: ComponentContext, classes: Int, widths: [Int]?, rng: inout RandomGenerator) throws {
        self.backbone = backbone
        decoder = try UNetDecoder(featureChannels: context.featureChannels, featureStrides: context.featureStrides,
                                  inChannels: context.inChannels, classes: classes, widths: widths, rng: &rng)
        Self.setPrior(decoder.classifier.bias, foreground: 0.05)
        super.init()
    }

    override func children() -> [(key: String, module: Module)] { [("backbone", backbone), ("decoder", decoder)] }

    func logits(_ images: Tensor) throws -> Tensor {
        try decoder(features: backbone.features(images), images: images)
    }

    func parameterGroups(learningRate: Float, layerDecay: Float, weightDecay: Float) -> [ParameterGroup] {
        ParameterGroup.layerDecayed(head: decoder.trainableParameters(), backbone: backbone, learningRate: learningRate,
                                    layerDecay: layerDecay, weightDecay: weightDecay)
    }

    func freezeEncoder() { backbone.freeze() }

    var summary: String {
        "\(type(of: backbone)) encoder (\(backbone.parameterCount) parameters, strides \(decoder.strides)) + U-Net decoder (\(decoder.parameterCount) parameters)"
    }
}
