import Foundation

/// The galaxy simulator: draws galaxy `index` of a seeded sky, renders it in g, r, z through
/// the PSF with detector noise, and derives its ground truth and volunteer votes.
///
/// Everything is a pure function of (seed, index, options): parameters, noise and votes come
/// from separate random streams, so galaxy i is the same whichever galaxies are rendered
/// before it or on which thread.
public struct GalaxySimulator: Sendable {
    public let options: SimulatorOptions
    public let seed: UInt64

    /// Throws a `SimulatorError` if an option is out of range.
    public init(options: SimulatorOptions = SimulatorOptions(), seed: UInt64) throws {
        try options.validate()
        self.options = options
        self.seed = seed
    }

    /// Salts that separate the random streams of one galaxy.
    static let noiseSalt: UInt64 = 0x6E6F_6973_6521_0001
    static let volunteerSalt: UInt64 = 0x766F_7465_7321_0002

    /// Nanomaggies per count: 1 nanomaggy is AB magnitude 22.5.
    var nanomaggiesPerCount: Float { Float(pow(10, -0.4 * (options.zeroPoint - 22.5))) }

    /// The parameters of galaxy `index`, before rendering (no truth yet).
    public func parameters(at index: Int) -> SimulatedGalaxy {
        GalaxySampler(options: options, seed: seed).draw(index: index)
    }

    /// Galaxy `index` with all its parameters and ground truth.
    public func galaxy(at index: Int) -> SimulatedGalaxy { render(parameters(at: index)).galaxy }

    /// Galaxy `index` with what its volunteers see (visibility, answer probabilities) but no
    /// pixels past the noiseless scene: enough for its votes, at a fraction of `galaxy(at:)`.
    public func truth(at index: Int) -> SimulatedGalaxy {
        var galaxy = parameters(at: index)
        completeTruth(&galaxy, scene: scene(of: galaxy))
        return galaxy
    }

    func scene(of galaxy: SimulatedGalaxy) -> Scene.Rendering {
        Scene(imageSize: options.imageSize, components: galaxy.components, psfs: galaxy.psfs).render()
    }

    /// Visibility and answer probabilities depend on the noiseless scene alone, so votes read
    /// through `truth(at:)` equal those of the full rendering.
    func completeTruth(_ galaxy: inout SimulatedGalaxy, scene: Scene.Rendering) {
        galaxy.visibility = VolunteerModel.visibility(of: galaxy, scene: scene, readNoise: options.readNoise)
        galaxy.answerProbabilities = VolunteerModel.answerProbabilities(galaxy)
    }

    /// Renders a galaxy and completes its truth (visibility, answer probabilities, boxes).
    public func render(_ parameters: SimulatedGalaxy) -> GalaxyRendering {
        var galaxy = parameters
        let s = options.imageSize
        let scene = scene(of: galaxy)

        var counts = scene.bands.pixels
        if options.noise {
            var rng = RandomGenerator(seed: seed ^ Self.noiseSalt, stream: UInt64(galaxy.index))
            counts.withUnsafeMutableBufferPointer { p in
                for b in 0..<Scene.bandCount {
                    CameraNoise.apply(to: UnsafeMutableBufferPointer(rebasing: p[(b * s * s)..<((b + 1) * s * s)]),
                                      sky: Float(galaxy.skyCounts[b]), readNoise: Float(options.readNoise), rng: &rng)
                }
            }
        }
        for defect in galaxy.defects { defect.apply(to: &counts, size: s) }

        let scale = nanomaggiesPerCount
        let bands = Image(channels: 3, height: s, width: s, pixels: counts.map { $0 * scale })
        let noiseless = Image(channels: 3, height: s, width: s, pixels: scene.bands.pixels.map { $0 * scale })
        let rgb = ColourStretch(scales: options.rgbScales, stretch: options.rgbStretch).rgb(bands)

        completeTruth(&galaxy, scene: scene)
        galaxy.boxes = Self.clumpBoxes(galaxy, kernels: scene.kernels, imageSize: s)
        return GalaxyRendering(galaxy: galaxy, rgb: rgb, bands: bands, noiseless: noiseless, scene: scene,
                               masks: volunteerMasks(Self.masks(scene, threshold: Float(options.maskThreshold)), of: galaxy))
    }

    /// Vote counts of the galaxy's volunteers, by `question_answer` column.
    public func votes(for galaxy: SimulatedGalaxy) -> [String: Float] {
        var rng = RandomGenerator(seed: seed ^ Self.volunteerSalt, stream: UInt64(galaxy.index))
        let tree = VolunteerModel.tree
        let counts = VolunteerModel.votes(tree: tree, probabilities: galaxy.answerProbabilities,
                                          volunteers: galaxy.volunteers, rng: &rng)
        return Dictionary(uniqueKeysWithValues: zip(tree.columnNames, counts))
    }

    /// Galaxy `index` as the framework's `Example`: the image (RGB or bands, per `output`),
    /// labels, votes, masks and clump boxes.
    public func example(at index: Int) -> Example {
        let r = render(parameters(at: index))
        return Example(id: r.galaxy.id, image: options.output == .rgb ? r.rgb : r.bands, labels: r.galaxy.labels,
                       votes: votes(for: r.galaxy), masks: r.masks, boxes: r.galaxy.boxes)
    }
}
