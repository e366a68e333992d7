/// An image encoder: the part of a network that a pretrained checkpoint carries and that
/// heads, segmentation decoders and detectors sit on.
public protocol Backbone: Embedder {
    /// Width of the pooled embedding.
    var embeddingWidth: Int { get }
    /// Channels of the feature maps at `featureStrides`.
    var featureChannels: [Int] { get }
    /// Strides of `features(_:)`' maps relative to the input; 4, 8, 16 and 32 unless a
    /// backbone says otherwise.
    var featureStrides: [Int] { get }
    /// Key prefixes of the blocks from the stem to the last stage, in order, for layer-wise
    /// learning-rate decay and freezing.
    var blockPrefixes: [String] { get }
    /// Feature maps at `featureStrides`, [N, featureChannels[i], H/stride, W/stride].
    func features(_ x: Tensor) throws -> [Tensor]
    /// The pooled representation, [N, embeddingWidth].
    func embed(_ x: Tensor) throws -> Tensor
}

extension Backbone {
    public var featureStrides: [Int] { [4, 8, 16, 32] }

    /// Runs `stages` one after the other from `x` and keeps every stage's output: the feature
    /// maps of a backbone built as a list of stages.
    func stageOutputs(_ x: Tensor, through stages: [any Layer]) throws -> [Tensor] {
        var y = x
        var maps: [Tensor] = []
        for stage in stages {
            y = try stage(y)
            maps.append(y)
        }
        return maps
    }
}
