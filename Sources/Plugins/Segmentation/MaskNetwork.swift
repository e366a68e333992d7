import Foundation
import Framework

/// A network that maps an image batch [N, C, H, W] to one mask logit per class and pixel,
/// [N, K, H, W]: a decoder on a registered backbone, or a standalone U-Net.
protocol MaskNetwork: Module {
    /// Mask logits at the input resolution.
    func logits(_ images: Tensor) throws -> Tensor
    /// Parameter groups at `learningRate` (layer decay down a pretrained encoder, if any).
    func parameterGroups(learningRate: Float, layerDecay: Float, weightDecay: Float) -> [ParameterGroup]
    /// Freezes the pretrained encoder (`training_mode: head_only`); a no-op without one.
    func freezeEncoder()
    /// One line for logs and the report.
    var summary: String { get }
}

extension MaskNetwork {
    /// Sets every output bias to log(π / (1 − π)), so the untrained network predicts a
    /// foreground fraction π instead of ½: with small bars and arms the loss otherwise
    /// spends its first epochs unlearning a half-covered image.
    static func setPrior(_ bias: Tensor?, foreground pi: Float) {
        guard let bias else { return }
        let logit = Foundation.log(pi / (1 - pi))
        bias.storage = [Float](repeating: logit, count: bias.count)
    }
}
