import Foundation
import Testing
@testable import Framework

/// Options that give every galaxy a face-on disk with the features under test.
func diskOptions(bar: Double = 1, spiral: Double = 1, clumps: Double = 0) -> SimulatorOptions {
    var o = SimulatorOptions()
    o.morphologies.elliptical = 0
    o.morphologies.edgeOn = 0
    o.morphologies.artifact = 0
    o.features.bar = bar
    o.features.spiral = spiral
    o.features.clumps = clumps
    return o
}

/// Independent Float64 evaluations of the component profiles at a point, straight from the
/// formulas in DESIGN §4 (the simulator uses Float, precomputed trigonometry and a polynomial
/// atan2).
enum ReferenceProfile {
    static func inPlane(_ p: DiskPlane, _ x: Double, _ y: Double) -> (Double, Double) {
        let dx = x - p.x, dy = y - p.y
        return (dx * cos(p.angle) + dy * sin(p.angle), (-dx * sin(p.angle) + dy * cos(p.angle)) / p.axisRatio)
    }

    static func ferrers(_ b: FerrersBar, _ x: Double, _ y: Double) -> Double {
        let (u, v) = inPlane(b.plane, x, y)
        let a = u * cos(b.angle) + v * sin(b.angle), c = (-u * sin(b.angle) + v * cos(b.angle)) / b.axisRatio
        let m2 = (a * a + c * c) / (b.length * b.length)
        return m2 < 1 ? pow(1 - m2, b.index + 0.5) : 0
    }

    static func spiral(_ s: SpiralArms, _ x: Double, _ y: Double) -> Double {
        let (u, v) = inPlane(s.plane, x, y)
        let r = (u * u + v * v).squareRoot()
        guard r > 1e-3 else { return 0 }
        let period = 2 * Double.pi / Double(s.count)
        var d = atan2(v, u) - s.phase - log(r / s.referenceRadius) / tan(s.pitch)
        d = d - period * (d / period).rounded()   // to the nearest arm, in [−π/m, π/m]
        return exp(-pow(abs(d) / s.width, s.sharpness)) * exp(-r / s.scaleLength)
            * (1 - exp(-(r * r) / (s.innerRadius * s.innerRadius)))
    }
}

@Suite("Simulator ground truth: masks and clump boxes")
struct SimulatorTruthTests {
    /// Compares a mask with the support of a reference profile at pixel centres, skipping
    /// pixels within 0.5 % of the threshold where Float and Float64 may round differently.
    func expectMaskIsSupport(_ mask: Image, threshold: Double, name: String, _ profile: (Double, Double) -> Double) {
        let s = mask.width
        var values = [Double](repeating: 0, count: s * s)
        for y in 0..<s {
            for x in 0..<s { values[y * s + x] = profile(Double(x) + 0.5, Double(y) + 0.5) }
        }
        let peak = values.max() ?? 0
        #expect(peak > 0, "\(name): the reference has no light in the image")
        var inside = 0, mismatches = 0
        for k in values.indices {
            let ratio = values[k] / peak
            if abs(ratio - threshold) < 0.005 * threshold { continue }
            let expected: Float = ratio >= threshold ? 1 : 0
            if expected == 1 { inside += 1 }
            if mask.pixels[k] != expected { mismatches += 1 }
        }
        #expect(mismatches == 0, "\(name): \(mismatches) pixels differ from the support")
        #expect(inside > 3, "\(name): support of only \(inside) pixels")
    }

    @Test("bar and spiral masks are the noiseless pre-PSF support", arguments: 0..<6)
    func masksAreSupport(index: Int) throws {
        var options = diskOptions()
        options.redshift = 0.03...0.05      // near enough that every bar spans several pixels
        let sim = try GalaxySimulator(options: options, seed: 11)
        let r = sim.render(sim.parameters(at: index))
        let threshold = sim.options.maskThreshold
        for component in r.galaxy.components {
            switch component.shape {
            case let .ferrers(bar):
                expectMaskIsSupport(r.masks["bar"]!, threshold: threshold, name: "bar #\(index)") { ReferenceProfile.ferrers(bar, $0, $1) }
            case let .spiral(arms):
                expectMaskIsSupport(r.masks["spiral"]!, threshold: threshold, name: "spiral #\(index)") { ReferenceProfile.spiral(arms, $0, $1) }
            default:
                break
            }
        }
        #expect(r.galaxy.structure.hasBar && r.galaxy.structure.armCount > 0)
    }

    @Test func fractionMasksAreTheComponentShareOfLight() throws {
        let sim = try GalaxySimulator(options: diskOptions(), seed: 5)
        let r = sim.render(sim.parameters(at: 0))
        for (role, name) in [(GalaxyComponent.Role.bar, "bar"), (.spiral, "spiral")] {
            let map = r.scene.roleMaps[role]!, fraction = r.masks[name + "_fraction"]!
            #expect(fraction.shape == [1, 64, 64])
            for k in map.pixels.indices {
                let total = r.scene.total.pixels[k]
                #expect(abs(fraction.pixels[k] - (total > 0 ? map.pixels[k] / total : 0)) < 1e-5)
                #expect(fraction.pixels[k] >= 0 && fraction.pixels[k] <= 1)
            }
        }
    }

    @Test func galaxiesWithoutTheComponentHaveEmptyMasks() throws {
        let sim = try GalaxySimulator(options: diskOptions(bar: 0, spiral: 0), seed: 5)
        let r = sim.render(sim.parameters(at: 3))
        for name in ["bar", "spiral", "bar_fraction", "spiral_fraction"] {
            #expect(r.masks[name]?.shape == [1, 64, 64])
            #expect(r.masks[name]!.pixels.allSatisfy { $0 == 0 }, "\(name) should be empty")
        }
    }

    static let boxCases: [(seed: UInt64, psf: PSF.Kind)] = [(1, .moffat), (2, .gaussian)]

    @Test("each clump box holds ≥ 90 % of its clump's light in every band", arguments: boxCases)
    func clumpBoxesHoldTheirClumps(_ c: (seed: UInt64, psf: PSF.Kind)) throws {
        var options = diskOptions(bar: 0.5, spiral: 0.5, clumps: 1)
        options.psf = c.psf
        let sim = try GalaxySimulator(options: options, seed: c.seed)
        var checked = 0
        for index in 0..<8 {
            let galaxy = sim.galaxy(at: index)
            let clumps = galaxy.components.filter { $0.role == .clump }
            #expect(clumps.count == galaxy.structure.clumpCount)
            #expect(galaxy.boxes.count == clumps.count)
            for (clump, box) in zip(clumps, galaxy.boxes) {
                #expect(box.label == 1)
                #expect(box.x1 >= 0 && box.y1 >= 0 && box.x2 <= 64 && box.y2 <= 64 && box.area > 0)
                guard case let .spot(spot) = clump.shape else { Issue.record("clump is not a spot"); continue }
                #expect(box.x1 <= Float(spot.x) && Float(spot.x) <= box.x2 && box.y1 <= Float(spot.y) && Float(spot.y) <= box.y2)
                let alone = Scene(imageSize: 64, components: [clump], psfs: galaxy.psfs).render().bands
                for band in 0..<3 {
                    var inBox = 0.0, all = 0.0
                    for y in 0..<64 {
                        for x in 0..<64 {
                            let v = Double(alone[band, y, x])
                            all += v
                            if Float(x) >= box.x1 && Float(x) < box.x2 && Float(y) >= box.y1 && Float(y) < box.y2 { inBox += v }
                        }
                    }
                    #expect(inBox / all >= 0.9, "galaxy \(index) band \(band): box holds \(inBox / all)")
                }
                // Boxes are tight: no wider than the blurred clump needs (±4 FWHM at most).
                #expect(box.width <= Float(8 * galaxy.psfs[0].fwhm + 2))
                checked += 1
            }
        }
        #expect(checked >= 8, "only \(checked) clumps were checked")
    }
}
