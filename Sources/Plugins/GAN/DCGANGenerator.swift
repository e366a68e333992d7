import Framework

/// DCGAN's generator: a latent vector (with a class embedding appended when conditional)
/// seen as a 1×1 map, a 4×4 transposed convolution to a 4×4 map, then stride-2 transposed
/// convolutions that double the side and halve the width, each with BatchNorm and ReLU,
/// and a last one to the image's bands with tanh (pixels in [−1, 1]).
final class DCGANGenerator: Module {
    let latent: Int
    let classes: Int
    let imageSize: Int
    let channels: Int
    let convs: [ConvTranspose2d]
    let norms: [BatchNorm2d]
    /// Class embedding [classes, width] appended to the latent vector (conditional only).
    let embedding: Tensor?

    init(latent: Int, width: Int, channels: Int, imageSize: Int, classes: Int = 0, embeddingWidth: Int = 0,
         rng: inout RandomGenerator) throws {
        let steps = try DCGANInit.steps(imageSize: imageSize)
        self.latent = latent
        self.classes = classes
        self.imageSize = imageSize
        self.channels = channels
        var widths = (0..<steps).map { width << (steps - 1 - $0) }  // e.g. 512, 256, 128, 64 at 64 px
        widths.append(channels)
        let input = latent + (classes > 0 ? embeddingWidth : 0)
        var convs = [ConvTranspose2d(input, widths[0], kernel: 4, stride: 1, padding: 0, bias: false, rng: &rng)]
        for i in 0..<steps { convs.append(ConvTranspose2d(widths[i], widths[i + 1], kernel: 4, stride: 2, padding: 1, bias: false, rng: &rng)) }
        norms = widths.dropLast().map { BatchNorm2d($0) }
        for c in convs { DCGANInit.convolution(c.weight, rng: &rng) }
        for bn in norms { DCGANInit.batchNorm(bn, rng: &rng) }
        self.convs = convs
        if classes > 0 {
            let e = try Tensor.randn([classes, embeddingWidth], using: &rng)
            e.requiresGrad = true
            embedding = e
        } else {
            embedding = nil
        }
        super.init()
    }

    /// Images [N, channels, size, size] in [−1, 1] from latents [N, latent] and, when
    /// conditional, one class index per row.
    func callAsFunction(_ z: Tensor, labels: [Int]? = nil) throws -> Tensor {
        let n = z.shape[0]
        var input = z
        if let embedding {
            let oneHot = try ClassLabels.oneHot(labels, classes: classes, rows: n)
            input = try Tensor.concat([z, oneHot.matmul(embedding)], axis: 1)
        }
        var h = try input.reshaped([n, input.shape[1], 1, 1])
        for i in 0..<convs.count {
            h = try convs[i](h)
            h = i < norms.count ? try norms[i](h).relu() : h.tanh()
        }
        return h
    }
}
