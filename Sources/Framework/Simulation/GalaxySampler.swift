import Foundation

/// Draws the parameters of galaxy `index` from the options: distance, brightness, seeing,
/// morphology, and the components that make it up.
///
/// Physical scales are drawn in kiloparsecs and magnitudes, then put on the sky with
/// `Cosmology`: sizes follow size–luminosity relations (ellipticals Re ≈ 4 kpc, disks
/// h ≈ 2.5 kpc at M_r = −21), flux is the host's absolute magnitude at the luminosity
/// distance. The draw uses its own random stream, so noise or volunteer settings never change
/// which galaxy index i is.
struct GalaxySampler {
    let options: SimulatorOptions
    let seed: UInt64

    /// Colours (g − r, r − z in AB magnitudes) of the stellar populations.
    enum Palette {
        static let old = (0.78, 0.42)
        static let bar = (0.70, 0.40)
        static let disk = (0.50, 0.30)
        static let young = (0.35, 0.20)
        static let clump = (0.10, 0.00)
    }

    /// Everything drawn so far for one galaxy.
    struct Draft {
        var components: [GalaxyComponent] = []
        var defects: [DetectorDefect] = []
        var structure: SimulatedGalaxy.Structure
        /// Colour offsets of this galaxy (g − r, r − z), magnitudes.
        var tint: (Double, Double)

        mutating func add(_ role: GalaxyComponent.Role, _ shape: ComponentShape, flux: Double, colour: (Double, Double)) {
            guard flux > 0 else { return }
            components.append(GalaxyComponent(role: role, shape: shape, flux: flux,
                                              colour: BandColour(gMinusR: colour.0 + tint.0, rMinusZ: colour.1 + tint.1)))
        }
    }

    /// The common context of one draw.
    struct Context {
        var x: Double, y: Double
        var flux: Double
        var absoluteMagnitude: Double
        var pixelsPerKpc: Double
        var psfFWHM: Double
        var sky: [Double]
        var size: Double
    }

    func draw(index: Int) -> SimulatedGalaxy {
        let o = options
        var dice = Dice(seed: seed, stream: UInt64(index))
        let z = dice.uniform(o.redshift)
        let magnitude = dice.uniform(o.absoluteMagnitude)
        let apparent = magnitude + Cosmology.distanceModulus(z)
        let fwhm = dice.uniform(o.psfFWHM) / o.pixelScale
        let beta = dice.uniform(o.psfBeta)
        // Seeing FWHM ∝ λ^−0.2 (Kolmogorov): g (477 nm) 6 % wider, z (913 nm) 7 % narrower than r.
        let psfs = [1.055, 1.0, 0.926].map { PSF(kind: o.psf, fwhm: fwhm * $0, beta: beta, radiusInFWHM: o.psfRadius) }
        let sky = o.skyBrightness.map { pow(10, -0.4 * ($0 - o.zeroPoint)) * o.pixelScale * o.pixelScale }
        let size = Double(o.imageSize)
        let context = Context(x: size / 2 + dice.uniform(-1...1), y: size / 2 + dice.uniform(-1...1),
                              flux: pow(10, -0.4 * (apparent - o.zeroPoint)), absoluteMagnitude: magnitude,
                              pixelsPerKpc: Cosmology.arcsecPerKpc(z) / o.pixelScale, psfFWHM: fwhm, sky: sky, size: size)
        let m = o.morphologies
        let kind = SimulatedGalaxy.Morphology.allCases[dice.choose([m.elliptical, m.disk, m.edgeOn, m.artifact])]
        let volunteers = dice.integer(o.volunteers)
        let structure = SimulatedGalaxy.Structure(
            morphology: kind, axisRatio: 1, inclination: 0, effectiveRadius: 0, bulgeToTotal: 0, barStrength: 0,
            armCount: 0, pitch: 0, winding: nil, ring: false, edgeOnBulge: nil, merger: .none, clumpCount: 0, starCount: 0)
        var draft = Draft(structure: structure, tint: (0.05 * dice.normal(), 0.05 * dice.normal()))

        switch kind {
        case .elliptical: drawElliptical(&draft, context, &dice)
        case .disk: drawDisk(&draft, context, &dice)
        case .edgeOn: drawEdgeOn(&draft, context, &dice)
        case .artifact: drawArtifact(&draft, context, &dice)
        }
        if kind != .artifact { drawInteraction(&draft, context, &dice) }
        drawStars(&draft, context, &dice)

        return SimulatedGalaxy(
            id: "sim-\(seed)-\(index)", index: index, redshift: z, absoluteMagnitude: magnitude,
            pixelsPerKpc: context.pixelsPerKpc, x: context.x, y: context.y, structure: draft.structure,
            components: draft.components, defects: draft.defects, psfs: psfs, skyCounts: sky, volunteers: volunteers)
    }

    /// A size in pixels from kiloparsecs, kept between 0.6 pixels and `limit` of the frame.
    func pixels(_ kpc: Double, _ c: Context, limit: Double = 0.3) -> Double {
        min(limit * c.size, max(0.6, kpc * c.pixelsPerKpc))
    }

    /// Apparent axis ratio of a disk of intrinsic thickness q0 at inclination i (degrees).
    static func apparentAxisRatio(inclination i: Double, thickness q0: Double) -> Double {
        let c = cos(i * Double.pi / 180)
        return (c * c * (1 - q0 * q0) + q0 * q0).squareRoot()
    }

    func drawElliptical(_ d: inout Draft, _ c: Context, _ dice: inout Dice) {
        let re = pixels(4.0 * pow(10, -0.26 * (c.absoluteMagnitude + 21) + 0.1 * dice.normal()), c)
        let q = dice.uniform(0.3...1), angle = dice.uniform(0...Double.pi)
        d.add(.elliptical, .sersic(SersicProfile(x: c.x, y: c.y, effectiveRadius: re, index: dice.uniform(3...5),
                                                 axisRatio: q, angle: angle)), flux: c.flux, colour: Palette.old)
        d.structure.axisRatio = q
        d.structure.effectiveRadius = re
        d.structure.bulgeToTotal = 1
    }

    /// Disk scale length h in pixels (the half-light radius is 1.678 h).
    func diskScale(_ c: Context, _ dice: inout Dice) -> Double {
        pixels(2.5 * pow(10, -0.2 * (c.absoluteMagnitude + 21) + 0.08 * dice.normal()), c, limit: 0.3 / 1.678)
    }

    func drawDisk(_ d: inout Draft, _ c: Context, _ dice: inout Dice) {
        let f = options.features
        let h = diskScale(c, &dice), re = 1.678 * h
        let inclination = acos(dice.uniform(cos(78 * Double.pi / 180)...1)) * 180 / Double.pi
        let q = Self.apparentAxisRatio(inclination: inclination, thickness: dice.uniform(0.1...0.2))
        let angle = dice.uniform(0...Double.pi)
        let plane = DiskPlane(x: c.x, y: c.y, angle: angle, axisRatio: q)

        // Bulge classes in GZ order (dominant … none) and their B/T ranges.
        let bulgeClass = dice.choose([0.08, 0.2, 0.32, 0.28, 0.12])
        let bt = [0.5...0.75, 0.3...0.5, 0.14...0.3, 0.04...0.14, 0...0][bulgeClass]
        let bulgeToTotal = dice.uniform(bt)
        let bulgeRe = max(0.6, re * dice.uniform(0.12...0.25))

        var barStrength = 0.0, barLength = 0.0, barAngle = 0.0, barFraction = 0.0
        var bar: FerrersBar?
        if dice.chance(f.bar) {
            barStrength = dice.chance(0.5) ? dice.uniform(0.55...1) : dice.uniform(0.15...0.45)
            barLength = max(1.5, re * (0.45 + 0.6 * barStrength) * dice.uniform(0.9...1.1))
            barAngle = dice.uniform(0...Double.pi)
            barFraction = 0.02 + 0.14 * barStrength
            bar = FerrersBar(plane: plane, angle: barAngle, length: barLength, axisRatio: dice.uniform(0.2...0.4),
                             index: dice.uniform(1...2))
        }
        var arms: SpiralArms?, winding: SimulatedGalaxy.Winding?, armFraction = 0.0, pitch = 0.0
        if dice.chance(f.spiral) {
            let count = [1, 2, 3, 4, 5, 6][dice.choose([0.05, 0.5, 0.2, 0.13, 0.07, 0.05])]
            let w = SimulatedGalaxy.Winding.allCases[dice.integer(0...2)]
            pitch = dice.uniform(w.pitchRange)
            winding = w
            let inner = max(1.5 * bulgeRe, barLength, 1.5)
            // Arms leave the ends of a bar when there is one.
            arms = SpiralArms(plane: plane, count: count, pitch: dice.sign() * pitch * Double.pi / 180,
                              phase: bar == nil ? dice.angle() : barAngle, referenceRadius: inner,
                              width: dice.uniform(0.3...0.45) * Double.pi / Double(count), sharpness: dice.uniform(1.5...3),
                              scaleLength: h * dice.uniform(1...1.3), innerRadius: inner)
            armFraction = dice.uniform(0.25...0.5) * (1 - bulgeToTotal)
        }
        var ring: GaussianRing?, ringFraction = 0.0
        // Rings only where one can be seen (inclination ≤ 60°, like GZ's ring sample), outside
        // the bright inner disk, and with enough light to stand out after the PSF and the
        // colour stretch and resolved (radius ≥ 2.5 FWHM): at 7–15 % of the light inside
        // 0.8–1.5 Re they were invisible at 64 px.
        if inclination <= 60, dice.chance(f.ring) {
            let radius = max(1.2 * barLength, re * dice.uniform(1.2...1.8), 2.5 * c.psfFWHM)
            ring = GaussianRing(plane: plane, radius: radius, width: max(0.8, radius * dice.uniform(0.05...0.1)))
            ringFraction = dice.uniform(0.2...0.35)
        }
        // The disk keeps at least 10 % of the light outside the bulge.
        let features = barFraction + armFraction + ringFraction
        let room = 0.9 * (1 - bulgeToTotal)
        let squeeze = features > room ? room / features : 1
        let diskFraction = 1 - bulgeToTotal - squeeze * features

        d.add(.disk, .sersic(SersicProfile(x: c.x, y: c.y, effectiveRadius: re, index: 1, axisRatio: q, angle: angle)),
              flux: c.flux * diskFraction, colour: Palette.disk)
        d.add(.bulge, .sersic(SersicProfile(x: c.x, y: c.y, effectiveRadius: bulgeRe, index: dice.uniform(1.5...2.5) + 2 * bulgeToTotal,
                                            axisRatio: max(q, dice.uniform(0.75...1)), angle: angle)),
              flux: c.flux * bulgeToTotal, colour: Palette.old)
        if let bar { d.add(.bar, .ferrers(bar), flux: c.flux * barFraction * squeeze, colour: Palette.bar) }
        if let arms { d.add(.spiral, .spiral(arms), flux: c.flux * armFraction * squeeze, colour: Palette.young) }
        if let ring { d.add(.ring, .ring(ring), flux: c.flux * ringFraction * squeeze, colour: Palette.young) }
        let clumps = dice.chance(f.clumps) ? drawClumps(&d, c, plane: plane, re: re, &dice) : 0

        d.structure.axisRatio = q
        d.structure.inclination = inclination
        d.structure.effectiveRadius = re
        d.structure.bulgeToTotal = bulgeToTotal
        d.structure.barStrength = barStrength
        d.structure.armCount = arms?.count ?? 0
        d.structure.pitch = pitch
        d.structure.winding = winding
        d.structure.ring = ring != nil
        d.structure.clumpCount = clumps
    }

    /// Adds 1–8 star-forming clumps (Adams et al. 2022: compact, 3–8 % of the galaxy's light
    /// each), unresolved so that they look PSF-sized, at least 2.5 FWHM apart; returns how
    /// many fitted in the frame.
    func drawClumps(_ d: inout Draft, _ c: Context, plane: DiskPlane, re: Double, _ dice: inout Dice) -> Int {
        let wanted = dice.integer(1...8)
        let psfSigma = c.psfFWHM / 2.3548
        var placed: [(Double, Double)] = []
        for _ in 0..<(wanted * 6) where placed.count < wanted {
            let r = re * dice.uniform(0.3...1.6), theta = dice.angle()
            let p = plane.imagePoint(u: r * cos(theta), v: r * sin(theta))
            let margin = 2.0
            guard p.x > margin, p.x < c.size - margin, p.y > margin, p.y < c.size - margin else { continue }
            let minimum = 2.5 * c.psfFWHM
            guard placed.allSatisfy({ hypot($0.0 - p.x, $0.1 - p.y) >= minimum }) else { continue }
            placed.append((p.x, p.y))
            d.add(.clump, .spot(GaussianSpot(x: p.x, y: p.y, sigma: psfSigma * dice.uniform(0.25...0.5))),
                  flux: c.flux * dice.uniform(0.03...0.08), colour: Palette.clump)
        }
        return placed.count
    }

    func drawEdgeOn(_ d: inout Draft, _ c: Context, _ dice: inout Dice) {
        let h = diskScale(c, &dice), re = 1.678 * h
        let inclination = dice.uniform(80...90)
        let q = Self.apparentAxisRatio(inclination: inclination, thickness: dice.uniform(0.08...0.18))
        let angle = dice.uniform(0...Double.pi)
        let kind = SimulatedGalaxy.EdgeOnBulge.allCases[dice.choose([0.3, 0.3, 0.4])]
        var bulgeToTotal = 0.0
        switch kind {
        case .boxy:
            bulgeToTotal = dice.uniform(0.08...0.25)
            d.add(.bulge, .sersic(SersicProfile(x: c.x, y: c.y, effectiveRadius: max(0.6, re * dice.uniform(0.2...0.35)),
                                                index: dice.uniform(1...2), axisRatio: dice.uniform(0.55...0.8), angle: angle,
                                                boxiness: dice.uniform(2.8...3.5))),
                  flux: c.flux * bulgeToTotal, colour: Palette.old)
        case .rounded:
            bulgeToTotal = dice.uniform(0.1...0.4)
            d.add(.bulge, .sersic(SersicProfile(x: c.x, y: c.y, effectiveRadius: max(0.6, re * dice.uniform(0.15...0.3)),
                                                index: dice.uniform(2...4), axisRatio: dice.uniform(0.8...1), angle: angle)),
                  flux: c.flux * bulgeToTotal, colour: Palette.old)
        case .none:
            break
        }
        d.add(.disk, .sersic(SersicProfile(x: c.x, y: c.y, effectiveRadius: re, index: 1, axisRatio: q, angle: angle)),
              flux: c.flux * (1 - bulgeToTotal), colour: Palette.disk)
        d.structure.axisRatio = q
        d.structure.inclination = inclination
        d.structure.effectiveRadius = re
        d.structure.bulgeToTotal = bulgeToTotal
        d.structure.edgeOnBulge = kind
    }
}
