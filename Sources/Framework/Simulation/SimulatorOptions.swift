/// Everything a user can set about the simulated sky, from YAML (snake_case keys, every key
/// optional, unknown keys rejected) or from code.
///
/// Defaults mimic Galaxy Zoo DECaLS cutouts: 64 px of 0.524″ (DECam's 0.262″ binned 2×2),
/// galaxies at z 0.03–0.10 seen through 1.0–1.6″ Moffat seeing, DECaLS-like sky in g, r, z.
public struct SimulatorOptions: Codable, Equatable, Sendable {
    /// What `Example.image` holds.
    public enum Output: String, Codable, Sendable, CaseIterable {
        /// 3×S×S colour image in [0, 1], z→R, r→G, g→B, like Legacy Surveys cutouts.
        case rgb
        /// 3×S×S sky-subtracted g, r, z in nanomaggies, like survey FITS cutouts.
        case bands
    }

    /// Relative frequencies of the main morphologies (normalised when drawn).
    public struct Morphologies: Codable, Equatable, Sendable {
        public var elliptical = 0.32
        public var disk = 0.50
        public var edgeOn = 0.12
        public var artifact = 0.06

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case elliptical, disk, edgeOn = "edge_on", artifact
        }
    }

    /// Probabilities of optional features, each drawn independently where it can occur.
    public struct Features: Codable, Equatable, Sendable {
        /// A bar, in face-on disks.
        public var bar = 0.4
        /// Spiral arms, in face-on disks.
        public var spiral = 0.7
        /// A ring, in disks inclined at most 60°.
        public var ring = 0.35
        /// Star-forming clumps, in face-on disks.
        public var clumps = 0.25
        /// A merger (companion and tidal tails), any galaxy.
        public var merger = 0.08
        /// Tidal disturbance without a companion, any galaxy not merging.
        public var disturbance = 0.1
        /// Foreground stars in the frame.
        public var stars = 0.3

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case bar, spiral, ring, clumps, merger, disturbance, stars
        }
    }

    /// Side of the square images, pixels.
    public var imageSize = 64
    /// Arcseconds per pixel.
    public var pixelScale = 0.524
    /// Range of the redshift-like distance parameter z_eff (see `Cosmology`).
    public var redshift: ClosedRange<Double> = 0.03...0.10
    /// Range of absolute r magnitudes of the main galaxy.
    public var absoluteMagnitude: ClosedRange<Double> = -22.5 ... -19.5
    /// AB magnitude of a source giving one detector count.
    public var zeroPoint = 30.0
    /// Sky surface brightness in g, r, z, mag/arcsec².
    public var skyBrightness: [Double] = [22.0, 21.0, 19.6]
    /// Gaussian read noise per pixel, counts.
    public var readNoise = 5.0
    /// Photon and read noise on (false: noiseless images).
    public var noise = true
    /// PSF profile.
    public var psf: PSF.Kind = .moffat
    /// Range of r-band seeing FWHM, arcsec (g is 6 % wider, z 7 % narrower: FWHM ∝ λ^−0.2).
    public var psfFWHM: ClosedRange<Double> = 1.0...1.6
    /// Range of Moffat β.
    public var psfBeta: ClosedRange<Double> = 2.5...4.8
    /// PSF kernel half-width in FWHMs.
    public var psfRadius = 2.0
    public var morphologies = Morphologies()
    public var features = Features()
    /// Range of the number of volunteers who classify each galaxy.
    public var volunteers: ClosedRange<Int> = 35...45
    /// Per-band multipliers of nanomaggies before the colour stretch (g, r, z).
    public var rgbScales: [Double] = [1.4, 0.9, 0.7]
    /// Softening of the arcsinh colour stretch: larger shows fainter light.
    public var rgbStretch = 8.0
    /// A pixel belongs to a component's mask where the component's noiseless, pre-PSF flux
    /// is at least this fraction of its brightest pixel.
    public var maskThreshold = 0.1
    /// Simulated volunteers who draw GZ3D-style polygons of bars and arms (masks
    /// `bar_volunteers`, `spiral_volunteers`: the fraction who covered each pixel); 0 draws
    /// none and leaves every other output unchanged. GZ3D had about 15.
    public var maskVolunteers = 0
    public var output: Output = .rgb

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case imageSize = "image_size", pixelScale = "pixel_scale", redshift
        case absoluteMagnitude = "absolute_magnitude", zeroPoint = "zero_point", skyBrightness = "sky_brightness"
        case readNoise = "read_noise", noise, psf, psfFWHM = "psf_fwhm", psfBeta = "psf_beta", psfRadius = "psf_radius"
        case morphologies, features, volunteers, rgbScales = "rgb_scales", rgbStretch = "rgb_stretch"
        case maskThreshold = "mask_threshold", output, maskVolunteers = "mask_volunteers"
    }

    public init(from decoder: Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SimulatorOptions()
        imageSize = try c.decodeIfPresent(Int.self, forKey: .imageSize) ?? d.imageSize
        pixelScale = try c.decodeIfPresent(Double.self, forKey: .pixelScale) ?? d.pixelScale
        redshift = try c.decodeIfPresent(ClosedRange<Double>.self, forKey: .redshift) ?? d.redshift
        absoluteMagnitude = try c.decodeIfPresent(ClosedRange<Double>.self, forKey: .absoluteMagnitude) ?? d.absoluteMagnitude
        zeroPoint = try c.decodeIfPresent(Double.self, forKey: .zeroPoint) ?? d.zeroPoint
        skyBrightness = try c.decodeIfPresent([Double].self, forKey: .skyBrightness) ?? d.skyBrightness
        readNoise = try c.decodeIfPresent(Double.self, forKey: .readNoise) ?? d.readNoise
        noise = try c.decodeIfPresent(Bool.self, forKey: .noise) ?? d.noise
        psf = try c.decodeIfPresent(PSF.Kind.self, forKey: .psf) ?? d.psf
        psfFWHM = try c.decodeIfPresent(ClosedRange<Double>.self, forKey: .psfFWHM) ?? d.psfFWHM
        psfBeta = try c.decodeIfPresent(ClosedRange<Double>.self, forKey: .psfBeta) ?? d.psfBeta
        psfRadius = try c.decodeIfPresent(Double.self, forKey: .psfRadius) ?? d.psfRadius
        morphologies = try c.decodeIfPresent(Morphologies.self, forKey: .morphologies) ?? d.morphologies
        features = try c.decodeIfPresent(Features.self, forKey: .features) ?? d.features
        volunteers = try c.decodeIfPresent(ClosedRange<Int>.self, forKey: .volunteers) ?? d.volunteers
        rgbScales = try c.decodeIfPresent([Double].self, forKey: .rgbScales) ?? d.rgbScales
        rgbStretch = try c.decodeIfPresent(Double.self, forKey: .rgbStretch) ?? d.rgbStretch
        maskThreshold = try c.decodeIfPresent(Double.self, forKey: .maskThreshold) ?? d.maskThreshold
        output = try c.decodeIfPresent(Output.self, forKey: .output) ?? d.output
        maskVolunteers = try c.decodeIfPresent(Int.self, forKey: .maskVolunteers) ?? d.maskVolunteers
    }
}

extension SimulatorOptions.Morphologies {
    public init(from decoder: Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        elliptical = try c.decodeIfPresent(Double.self, forKey: .elliptical) ?? d.elliptical
        disk = try c.decodeIfPresent(Double.self, forKey: .disk) ?? d.disk
        edgeOn = try c.decodeIfPresent(Double.self, forKey: .edgeOn) ?? d.edgeOn
        artifact = try c.decodeIfPresent(Double.self, forKey: .artifact) ?? d.artifact
    }
}

extension SimulatorOptions.Features {
    public init(from decoder: Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        bar = try c.decodeIfPresent(Double.self, forKey: .bar) ?? d.bar
        spiral = try c.decodeIfPresent(Double.self, forKey: .spiral) ?? d.spiral
        ring = try c.decodeIfPresent(Double.self, forKey: .ring) ?? d.ring
        clumps = try c.decodeIfPresent(Double.self, forKey: .clumps) ?? d.clumps
        merger = try c.decodeIfPresent(Double.self, forKey: .merger) ?? d.merger
        disturbance = try c.decodeIfPresent(Double.self, forKey: .disturbance) ?? d.disturbance
        stars = try c.decodeIfPresent(Double.self, forKey: .stars) ?? d.stars
    }
}

/// Throws a `DecodingError` at the first key of the decoder's mapping that `Keys` lacks, so a
/// typo in a YAML file is an error and not a silently ignored option.
private func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ decoder: Decoder, _: Keys.Type) throws {
    let container = try decoder.container(keyedBy: NameKey.self)
    let known = Keys.allCases.map(\.stringValue)
    for key in container.allKeys where !known.contains(key.stringValue) {
        throw DecodingError.dataCorrupted(.init(
            codingPath: container.codingPath + [key],
            debugDescription: "unknown key '\(key.stringValue)' (expected one of: \(known.joined(separator: ", ")))"))
    }
}
