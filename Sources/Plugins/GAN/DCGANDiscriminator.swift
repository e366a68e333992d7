import Framework

/// DCGAN's discriminator: stride-2 4×4 convolutions that halve the side and double the
/// width down to a 4×4 map, LeakyReLU 0.2 after each, BatchNorm after all but the first,
/// and a 4×4 convolution to one logit. With spectral normalisation every convolution's
/// weight is divided by its largest singular value and BatchNorm is left out (as in
/// SN-GAN). When conditional, a projection term ⟨embed(y), φ(x)⟩ on the flattened 4×4
/// features is added to the logit (Miyato & Koyama 2018).
final class DCGANDiscriminator: Module {
    let classes: Int
    let convs: [Conv2d]
    let norms: [BatchNorm2d]
    let spectral: [SpectralNorm]
    /// Class projection [classes, features] (conditional only).
    let projection: Tensor?

    init(width: Int, channels: Int, imageSize: Int, classes: Int = 0, spectralNorm: Bool = false,
         rng: inout RandomGenerator) throws {
        let steps = try DCGANInit.steps(imageSize: imageSize)
        self.classes = classes
        let widths = [channels] + (0..<steps).map { width << $0 }  // e.g. 3, 64, 128, 256, 512 at 64 px
        var convs = (0..<steps).map { Conv2d(widths[$0], widths[$0 + 1], kernel: 4, stride: 2, padding: 1, bias: false, rng: &rng) }
        convs.append(Conv2d(widths[steps], 1, kernel: 4, stride: 1, padding: 0, bias: false, rng: &rng))
        for c in convs { DCGANInit.convolution(c.weight, rng: &rng) }
        norms = spectralNorm ? [] : widths[2...].map { BatchNorm2d($0) }
        for bn in norms { DCGANInit.batchNorm(bn, rng: &rng) }
        spectral = spectralNorm ? convs.map { SpectralNorm(for: $0.weight, rng: &rng) } : []
        self.convs = convs
        if classes > 0 {
            let p = try Tensor.randn([classes, widths[steps] * 16], std: 0.02, using: &rng)
            p.requiresGrad = true
            projection = p
        } else {
            projection = nil
        }
        super.init()
    }

    var spectralNorm: Bool { !spectral.isEmpty }

    /// One logit per image [N] for images [N, channels, size, size] in [−1, 1].
    func callAsFunction(_ x: Tensor, labels: [Int]? = nil) throws -> Tensor {
        var h = x
        for i in 0..<(convs.count - 1) {
            h = try conv(i, h)
            if i > 0, !norms.isEmpty { h = try norms[i - 1](h) }
            h = h.leakyRelu(slope: 0.2)
        }
        let n = x.shape[0]
        var logit = try conv(convs.count - 1, h).reshaped([n])
        if let projection {
            let oneHot = try ClassLabels.oneHot(labels, classes: classes, rows: n)
            let features = try h.reshaped([n, h.count / n])
            logit = try logit + (oneHot.matmul(projection) * features).sum(axes: [1])
        }
        return logit
    }

    private func conv(_ i: Int, _ x: Tensor) throws -> Tensor {
        let c = convs[i]
        let weight = spectral.isEmpty ? c.weight : try spectral[i](c.weight)
        return try x.conv2d(weight: weight, bias: c.bias, stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups)
    }
}
