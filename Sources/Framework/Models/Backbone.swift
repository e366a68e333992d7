/// An image encoder: the part of a network that a pretrained checkpoint carries and that
/// heads, segmentation decoders and detectors sit on.
public protocol Backbone: Module {
    /// Width of the pooled embedding.
    var embeddingWidth: Int { get }
    /// Channels of the feature maps at strides 4, 8, 16 and 32.
    var featureChannels: [Int] { get }
    /// Key prefixes of the blocks from the stem to the last stage, in order, for layer-wise
    /// learning-rate decay and freezing.
    var blockPrefixes: [String] { get }
    /// Feature maps at strides 4, 8, 16 and 32.
    func features(_ x: Tensor) throws -> [Tensor]
    /// The pooled representation, [N, embeddingWidth].
    func embed(_ x: Tensor) throws -> Tensor
}
