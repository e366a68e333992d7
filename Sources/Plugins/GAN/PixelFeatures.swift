import Framework

/// The fallback feature extractor when a GAN experiment names no `backbone:`: each band
/// average-pooled to a grid of `side`×`side` and flattened. Distances on it are a sanity
/// check only; the GZ-pretrained encoder's features are what the quality metrics mean.
final class PixelFeatures: Module, Embedder {
    let side: Int

    init(side: Int = 8) {
        self.side = side
        super.init()
    }

    func embed(_ images: Tensor) throws -> Tensor {
        let s = images.shape[2] / side
        let pooled = s > 1 ? try images.avgPool2d(kernel: (s, s)) : images
        return try pooled.flattened(from: 1)
    }
}
