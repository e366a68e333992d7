import Foundation

/// How clearly each feature shows: from the noiseless pre-PSF maps, the sky and the PSF.
///
/// A feature's visibility is the product of three smooth steps in [0, 1]:
/// - signal-to-noise of its light over its support (pixels ≥ 10 % of its peak), against the
///   Poisson noise of everything there plus sky and read noise: 0 at S/N 3, 1 at S/N 50
///   (log scale);
/// - contrast, its share of the light in its support: 0 at 3 %, 1 at 30 %;
/// - resolution, its scale over the PSF FWHM: 0 at 0.5, 1 at 2.5. The scale is the
///   half-light radius for the galaxy and bulge, the bar's half-length, the radial gap
///   between arms at the disk's half-light radius, the ring's radius.
extension VolunteerModel {
    /// 0 below `lo`, 1 above `hi`, smooth (3t² − 2t³) between.
    static func smoothStep(_ x: Double, _ lo: Double, _ hi: Double) -> Double {
        let t = min(1, max(0, (x - lo) / (hi - lo)))
        return t * t * (3 - 2 * t)
    }

    /// Signal-to-noise and contrast of the light in `map` over its support.
    static func detection(_ map: Image?, total: Image, noiseVariance: Double, threshold: Float = 0.1) -> (snr: Double, contrast: Double) {
        guard let map, let peak = map.pixels.max(), peak > 0 else { return (0, 0) }
        var signal = 0.0, light = 0.0
        var count = 0
        for k in map.pixels.indices where map.pixels[k] >= threshold * peak {
            signal += Double(map.pixels[k])
            light += Double(max(0, total.pixels[k]))
            count += 1
        }
        let noise = (light + Double(count) * noiseVariance).squareRoot()
        return (noise > 0 ? signal / noise : 0, light > 0 ? signal / light : 0)
    }

    static func visibility(snr: Double, contrast: Double = 1, scale: Double, fwhm: Double) -> Double {
        smoothStep(log(max(snr, 1e-9)), log(3), log(50)) * smoothStep(contrast, 0.03, 0.3)
            * smoothStep(scale / fwhm, 0.5, 2.5)
    }

    /// The visibility of each feature of `galaxy` in its rendered scene.
    static func visibility(of galaxy: SimulatedGalaxy, scene: Scene.Rendering, readNoise: Double) -> SimulatedGalaxy.Visibility {
        let maps = scene.roleMaps, total = scene.total
        let variance = galaxy.skyCounts[1] + readNoise * readNoise
        let fwhm = galaxy.psfs[1].fwhm
        func sum(_ roles: [GalaxyComponent.Role]) -> Image? {
            let present = roles.compactMap { maps[$0] }
            guard var first = present.first else { return nil }
            for other in present.dropFirst() {
                for k in first.pixels.indices { first.pixels[k] += other.pixels[k] }
            }
            return first
        }
        var v = SimulatedGalaxy.Visibility()
        let s = galaxy.structure
        let host = detection(sum([.elliptical, .bulge, .disk, .bar, .spiral, .ring]), total: total, noiseVariance: variance)
        v.galaxy = visibility(snr: host.snr, scale: s.effectiveRadius, fwhm: fwhm)

        for component in galaxy.components {
            switch component.shape {
            case let .sersic(p) where component.role == .bulge || component.role == .elliptical:
                let d = detection(maps[component.role], total: total, noiseVariance: variance)
                v.bulge = visibility(snr: d.snr, contrast: d.contrast, scale: p.effectiveRadius, fwhm: fwhm)
            case let .ferrers(bar):
                let d = detection(maps[.bar], total: total, noiseVariance: variance)
                v.bar = visibility(snr: d.snr, contrast: d.contrast, scale: bar.length, fwhm: fwhm)
            case let .spiral(arms):
                let d = detection(maps[.spiral], total: total, noiseVariance: variance)
                let gap = s.effectiveRadius * (exp(2 * Double.pi * abs(tan(arms.pitch)) / Double(arms.count)) - 1)
                v.arms = visibility(snr: d.snr, contrast: d.contrast, scale: gap, fwhm: fwhm)
            case let .ring(ring):
                let d = detection(maps[.ring], total: total, noiseVariance: variance)
                v.ring = visibility(snr: d.snr, contrast: d.contrast, scale: ring.radius, fwhm: fwhm)
            default:
                break
            }
        }
        if s.clumpCount > 0 {
            let d = detection(maps[.clump], total: total, noiseVariance: variance)
            v.clumps = visibility(snr: d.snr, contrast: d.contrast, scale: fwhm, fwhm: fwhm)
        }
        if s.merger != .none {
            let d = detection(sum([.tail, .companion]), total: total, noiseVariance: variance)
            v.interaction = visibility(snr: d.snr, contrast: d.contrast, scale: fwhm * 2.5, fwhm: fwhm)
        }
        return v
    }
}
