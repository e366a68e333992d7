import Foundation
import Framework

/// A generator and a discriminator trained against each other: per batch, a discriminator
/// step on real images and detached fakes, then a generator step with the non-saturating
/// loss −log D(G(z)). Real pixels in [0, 1] are mapped to [−1, 1], the generator's tanh
/// range. Latents are drawn from a stream keyed by (seed, epoch, batch), so a resumed run
/// repeats an uninterrupted one.
final class GANModel: Module, AdversarialTaskModel {
    let generator: DCGANGenerator
    let discriminator: DCGANDiscriminator
    let options: GANComponent.Options
    let seed: UInt64
    /// Measures the fixed samples' feature diversity against the real data's each epoch.
    var diversity: SampleDiversity?

    init(options: GANComponent.Options, channels: Int, imageSize: Int, seed: UInt64) throws {
        var rng = RandomGenerator(seed: seed, stream: 0x4741_4E49_4E49)
        let classes = options.conditional ? options.classes : 0
        generator = try DCGANGenerator(latent: options.latent, width: options.generatorWidth, channels: channels,
                                       imageSize: imageSize, classes: classes, embeddingWidth: options.embeddingWidth, rng: &rng)
        discriminator = try DCGANDiscriminator(width: options.discriminatorWidth, channels: channels, imageSize: imageSize,
                                               classes: classes, spectralNorm: options.stabiliser == .spectralNorm, rng: &rng)
        self.options = options
        self.seed = seed
        super.init()
    }

    override func children() -> [(key: String, module: Module)] { [("generator", generator), ("discriminator", discriminator)] }

    // MARK: Sampling

    /// Standard-normal latents [n, latent] from stream `stream` of the run's seed.
    func latents(_ n: Int, stream: UInt64) throws -> Tensor {
        var rng = RandomGenerator(seed: seed, stream: stream)
        return try Tensor.randn([n, options.latent], using: &rng)
    }

    /// The fixed latent batch of the sample grids and the collapse check, with classes
    /// cycling through 0..<classes when conditional.
    func fixedBatch() throws -> (z: Tensor, labels: [Int]?) {
        let n = options.gridSamples
        return (try latents(n, stream: 0x4649_5845_4400), options.conditional ? (0..<n).map { $0 % options.classes } : nil)
    }

    /// Generated images in [0, 1] from latents (and classes), without the tape, in the mode
    /// the model is in.
    func sample(_ z: Tensor, labels: [Int]?) throws -> Tensor {
        try GradMode.withoutGrad { try generator(z, labels: labels) * 0.5 + 0.5 }
    }

    /// Real images in [−1, 1].
    func scaled(_ images: Tensor) -> Tensor { images * 2 - 1 }

    func labels(_ batch: Batch) throws -> [Int]? {
        guard options.conditional, let column = options.classLabel else { return nil }
        return try ClassLabels.read(batch, column: column, classes: options.classes)
    }

    // MARK: Training

    func makeOptimizers(_ training: TrainingOptions) -> [(name: String, optimizer: Optimizer)] {
        func adam(_ m: Module, _ lr: Float) -> Optimizer {
            Adam(groups: [ParameterGroup(parameters: m.trainableParameters(), learningRate: lr)], beta1: options.beta1, beta2: options.beta2)
        }
        return [("generator", adam(generator, options.generatorLR)), ("discriminator", adam(discriminator, options.discriminatorLR))]
    }

    func step(_ batch: Batch, optimizers: [(name: String, optimizer: Optimizer)]) throws -> [String: Double] {
        let g = optimizers[0].optimizer, d = optimizers[1].optimizer
        let real = scaled(batch.images), n = batch.count
        let y = try labels(batch)
        let z = try latents(n, stream: 0x5452_0000_0000 &+ UInt64(batch.epoch) << 24 &+ UInt64(batch.number))
        let fake = try generator(z, labels: y)

        // Discriminator: real → 1, detached fake → 0.
        d.zeroGrad()
        let dReal = try discriminator(real, labels: y), dFake = try discriminator(fake.detached(), labels: y)
        let lossReal = try bce(dReal, target: 1), lossFake = try bce(dFake, target: 0)
        let dLoss = try lossReal + lossFake
        try dLoss.backward()
        d.step()

        // Generator: non-saturating, fakes → 1 under the updated discriminator, whose
        // weights need no gradient here.
        g.zeroGrad()
        let dParams = discriminator.trainableParameters()
        for p in dParams { p.requiresGrad = false }
        defer { for p in dParams { p.requiresGrad = true } }
        let gLoss = try bce(discriminator(fake, labels: y), target: 1)
        try gLoss.backward()
        g.step()

        let dl = Double(try dLoss.item()), gl = Double(try gLoss.item())
        return ["loss": dl + gl, "d_loss": dl, "g_loss": gl,
                "d_real": try meanProbability(dReal), "d_fake": try meanProbability(dFake)]
    }

    /// Mean binary cross-entropy of logits against a constant target.
    func bce(_ logits: Tensor, target: Float) throws -> Tensor {
        try Loss.binaryCrossEntropyWithLogits(logits: logits, targets: Tensor(repeating: target, shape: logits.shape)).mean()
    }

    func meanProbability(_ logits: Tensor) throws -> Double {
        Double(try logits.detached().sigmoid().mean().item())
    }

    // MARK: TaskModel

    /// The standard step's loss is not how a GAN trains (`step` is); this is the
    /// discriminator's loss, for completeness.
    func loss(_ batch: Batch) throws -> TaskLoss {
        let y = try labels(batch)
        let fake = try generator(latents(batch.count, stream: 0x4C4F_5353_0000 &+ UInt64(batch.number)), labels: y).detached()
        let perExample = try Loss.binaryCrossEntropyWithLogits(logits: discriminator(scaled(batch.images), labels: y),
                                                               targets: Tensor.ones([batch.count]))
            + Loss.binaryCrossEntropyWithLogits(logits: discriminator(fake, labels: y), targets: Tensor.zeros([batch.count]))
        return TaskLoss(total: perExample)
    }

    /// Validation: both players' losses on held-out real images and fresh fakes (latents
    /// fixed per batch, so epochs are comparable), `loss` being the discriminator's, and the
    /// fixed samples' feature diversity relative to the real data's (`diversity_ratio`).
    func evaluate(_ loader: DataLoader) throws -> [String: Double] {
        var sums: [String: Double] = [:], n = 0.0
        let epoch = loader.epoch(0)
        while let batch = try epoch.next() {
            let y = try labels(batch)
            let fake = try generator(latents(batch.count, stream: 0x5641_4C00_0000 &+ UInt64(batch.number)), labels: y)
            let dReal = try discriminator(scaled(batch.images), labels: y), dFake = try discriminator(fake, labels: y)
            let w = Double(batch.count)
            let dLoss = Double(try bce(dReal, target: 1).item() + bce(dFake, target: 0).item())
            sums["d_loss", default: 0] += w * dLoss
            sums["g_loss", default: 0] += w * Double(try bce(dFake, target: 1).item())
            sums["d_real", default: 0] += w * (try meanProbability(dReal))
            sums["d_fake", default: 0] += w * (try meanProbability(dFake))
            n += w
        }
        var metrics = sums.mapValues { $0 / max(n, 1) }
        metrics["loss"] = metrics["d_loss"] ?? .nan
        if let diversity {
            let (z, y) = try fixedBatch()
            metrics["diversity_ratio"] = try diversity.ratio(of: sample(z, labels: y))
        }
        return metrics
    }

    func parameterGroups(learningRate: Float, layerDecay: Float, weightDecay: Float) -> [ParameterGroup] {
        [ParameterGroup(parameters: trainableParameters(), learningRate: learningRate, weightDecay: weightDecay)]
    }

    /// Nothing is pretrained in a GAN; `training_mode: head_only` freezes nothing.
    func freezeBackbone() {}
}
