import Foundation
import Synchronization
import Testing
import Yams
@testable import Framework

@Suite("Simulated galaxies dataset and options")
struct SimulatedGalaxiesTests {
    @Test func examplesAreDeterministicPerSeedAndIndex() throws {
        let a = try SimulatedGalaxies(seed: 42, count: 10)
        let b = try SimulatedGalaxies(seed: 42, count: 10)
        let other = try SimulatedGalaxies(seed: 43, count: 10)
        for i in [0, 7] {
            let x = try a.example(at: i), y = try b.example(at: i)
            #expect(x.image == y.image)
            #expect(x.votes == y.votes && x.labels == y.labels && x.masks == y.masks && x.boxes == y.boxes)
            #expect(a.galaxy(at: i) == b.galaxy(at: i))
        }
        // Out of order and from other threads: still the same galaxy.
        let reference = try a.example(at: 3).image
        let images = UnsafeMutableBufferPointer<Image?>.allocate(capacity: 4)
        defer { images.deallocate() }
        images.initialize(repeating: nil)
        DispatchQueue.concurrentPerform(iterations: 4) { k in images[k] = try? a.example(at: 3).image }
        #expect(images.allSatisfy { $0 == reference })
        let one = try a.example(at: 1).image, two = try a.example(at: 2).image
        let otherOne = try other.example(at: 1).image, four = try a.example(at: 4)
        #expect(one != two)
        #expect(one != otherOne)
        #expect(a.id(at: 4) == "sim-42-4" && four.id == "sim-42-4")
    }

    /// The targets' fast path (the scene without noise, colour or masks) must give exactly
    /// the votes and labels of the full rendering, or pretraining would learn other votes
    /// than its galaxies show; and `Targets(allOf:)` reads them in parallel, in order.
    @Test func targetsWithoutRenderingEqualTheFullExamples() throws {
        let data = try SimulatedGalaxies(seed: 5, count: 150)
        for i in [0, 1, 17, 149] {
            let full = try data.example(at: i), fast = try data.targets(at: i)
            #expect(fast.votes == full.votes && fast.labels == full.labels)
        }
        let seen = Mutex(0)
        let targets = try Targets(allOf: data) { done in seen.withLock { $0 = max($0, done) } }
        #expect(targets.count == 150 && seen.withLock { $0 } == 150)
        let column = DecisionTree.gzDecals.columnNames[0]
        #expect(targets.votes[column]![149] == (try data.example(at: 149)).votes[column])
        #expect(targets.votes[column]![17] == (try data.targets(at: 17)).votes[column])
        #expect(throws: SimulatorError.self) { try data.targets(at: 150) }
    }

    @Test func exampleCarriesImageLabelsVotesMasksAndBoxes() throws {
        let data = try SimulatedGalaxies(seed: 1, count: 40)
        var sawRing = false, sawClumps = false
        for i in 0..<40 {
            let e = try data.example(at: i)
            #expect(e.image.shape == [3, 64, 64])
            #expect(e.image.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
            #expect(Set(e.votes.keys) == Set(DecisionTree.gzDecals.columnNames))
            let counts = DecisionTree.gzDecals.counts(from: e.votes)
            let volunteers = data.galaxy(at: i).volunteers
            #expect((35...45).contains(volunteers))
            #expect(counts[0..<3].reduce(0, +) == Float(volunteers))
            for key in ["ring", "has_bar", "bar", "arms", "winding", "merger", "edge_on", "morphology", "redshift"] {
                #expect(e.labels[key] != nil, "missing label \(key)")
            }
            #expect(e.labels["ring"] == 0 || e.labels["ring"] == 1)
            #expect(Set(e.masks.keys) == ["bar", "spiral", "bar_fraction", "spiral_fraction"])
            #expect(e.masks.values.allSatisfy { $0.shape == [1, 64, 64] })
            #expect(Float(e.boxes.count) == e.labels["clumps"])
            let g = data.galaxy(at: i)
            #expect((e.labels["ring"] == 1) == g.components.contains { $0.role == .ring })
            #expect((e.labels["has_bar"] == 1) == g.components.contains { $0.role == .bar })
            sawRing = sawRing || e.labels["ring"] == 1
            sawClumps = sawClumps || !e.boxes.isEmpty
        }
        #expect(sawRing && sawClumps)
        #expect(throws: SimulatorError.self) { try data.example(at: 40) }
    }

    @Test func bandOutputIsNanomaggiesAndNoiselessIsClean() throws {
        var options = SimulatorOptions()
        options.output = .bands
        options.noise = false
        let sim = try GalaxySimulator(options: options, seed: 9)
        let r = sim.render(sim.parameters(at: 0))
        #expect(sim.example(at: 0).image == r.bands)
        #expect(r.bands == r.noiseless || !r.galaxy.defects.isEmpty)
        // Total r-band light matches the components' counts converted to nanomaggies (1 nmgy = 22.5 mag).
        let counts = r.galaxy.components.reduce(0.0) { $0 + $1.flux * $1.colour.r }
        let nmgy = r.noiseless.pixels[(64 * 64)..<(2 * 64 * 64)].reduce(0.0) { $0 + Double($1) }
        let perCount = pow(10, -0.4 * (options.zeroPoint - 22.5))
        #expect(nmgy <= counts * perCount * 1.01 && nmgy > 0.5 * counts * perCount)
    }

    @Test func redshiftDimsAndShrinks() throws {
        var near = SimulatorOptions(), far = SimulatorOptions()
        near.redshift = 0.04...0.04
        far.redshift = 0.12...0.12
        let a = try GalaxySimulator(options: near, seed: 4).galaxy(at: 2)
        let b = try GalaxySimulator(options: far, seed: 4).galaxy(at: 2)
        #expect(a.pixelsPerKpc / b.pixelsPerKpc > 2.5)
        let fluxA = a.components.first!.flux, fluxB = b.components.first!.flux
        let expected = pow(Cosmology.luminosityDistance(0.12) / Cosmology.luminosityDistance(0.04), 2)
        #expect(abs(fluxA / fluxB / expected - 1) < 1e-9)
        #expect(abs(Cosmology.luminosityDistance(0.1) - 460.3) < 1)        // flat ΛCDM, H0 = 70, Ωm = 0.3
        #expect(abs(Cosmology.angularDiameterDistance(0.1) - 380.4) < 1)
    }

    @Test func galleryTilesTheFirstGalaxies() throws {
        let data = try SimulatedGalaxies(seed: 2, count: 10)
        let sheet = data.gallery(count: 6, columns: 4)
        #expect(sheet.shape == [3, 2 * 64 + 1, 4 * 64 + 3])
        let first = try data.example(at: 0).image, fifth = try data.example(at: 5).image
        #expect(sheet[0, 10, 10] == first[0, 10, 10])
        #expect(sheet[1, 65 + 20, 65 + 30] == fifth[1, 20, 30])
        #expect(sheet[2, 10, 64] == 0.5)          // separator
    }

    @Test func morphologyMixtureIsRespected() throws {
        var o = SimulatorOptions()
        o.morphologies.elliptical = 0; o.morphologies.disk = 0; o.morphologies.artifact = 0; o.morphologies.edgeOn = 1
        let data = try SimulatedGalaxies(seed: 6, count: 10, options: o)
        for i in 0..<10 {
            let g = data.galaxy(at: i)
            #expect(g.structure.morphology == .edgeOn && g.structure.inclination >= 80 && g.structure.edgeOnBulge != nil)
        }
    }

    static let badOptions: [(String, (inout SimulatorOptions) -> Void)] = [
        ("image_size", { $0.imageSize = 8 }),
        ("psf_beta", { $0.psfBeta = 1.0...4 }),
        ("psf_fwhm", { $0.psfFWHM = 5...9 }),
        ("redshift", { $0.redshift = 0...0.1 }),
        ("features.bar", { $0.features.bar = 1.5 }),
        ("morphologies.disk", { $0.morphologies.disk = -1 }),
        ("morphologies", { $0.morphologies.disk = 0; $0.morphologies.elliptical = 0; $0.morphologies.edgeOn = 0; $0.morphologies.artifact = 0 }),
        ("volunteers", { $0.volunteers = 0...10 }),
        ("sky_brightness", { $0.skyBrightness = [21, 20] }),
        ("rgb_scales", { $0.rgbScales = [1, -1, 1] }),
        ("mask_threshold", { $0.maskThreshold = 1 }),
        ("pixel_scale", { $0.pixelScale = 0 }),
    ]

    @Test("bad options are rejected by name", arguments: badOptions)
    func badOptionsAreNamed(_ c: (String, (inout SimulatorOptions) -> Void)) {
        var o = SimulatorOptions()
        c.1(&o)
        do {
            _ = try SimulatedGalaxies(seed: 1, count: 1, options: o)
            Issue.record("expected an error for \(c.0)")
        } catch let e as SimulatorError {
            #expect(e.key == c.0, "\(e)")
            #expect(e.description.contains("'\(c.0)'"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func optionsDecodeFromYAMLWithDefaults() throws {
        let o = try YAMLDecoder().decode(SimulatorOptions.self, from: """
        image_size: 96
        psf: gaussian
        psf_fwhm: [1.1, 1.3]
        features: {ring: 0.5}
        morphologies: {edge_on: 0.2}
        """)
        #expect(o.imageSize == 96 && o.psf == .gaussian && o.psfFWHM == 1.1...1.3)
        #expect(o.features.ring == 0.5 && o.features.bar == SimulatorOptions.Features().bar)
        #expect(o.morphologies.edgeOn == 0.2 && o.morphologies.disk == 0.5)
        #expect(o.pixelScale == SimulatorOptions().pixelScale && o.output == .rgb)
        let back = try YAMLDecoder().decode(SimulatorOptions.self, from: YAMLEncoder().encode(o))
        #expect(back == o)
        for bad in ["imagesize: 96", "features: {rings: 0.5}"] {
            do {
                _ = try YAMLDecoder().decode(SimulatorOptions.self, from: bad)
                Issue.record("expected an error for \(bad)")
            } catch let DecodingError.dataCorrupted(context) {
                #expect(context.debugDescription.contains("unknown key"))
            }
        }
    }

    @Test func benchmarkReportsAPositiveRate() {
        var o = SimulatorOptions()
        o.imageSize = 32
        #expect(SimulatorBenchmark.run(count: 3, options: o) > 0)
    }

    /// Training reads every label before its first epoch: the sampler answers them without
    /// rendering, and they are the rendered example's labels.
    @Test func labelsWithoutRenderingAreTheExamplesLabels() throws {
        let data = try SimulatedGalaxies(seed: 4, count: 20)
        for i in 0..<20 { #expect(try data.labels(at: i) == data.example(at: i).labels, "galaxy \(i)") }
        #expect(throws: SimulatorError.self) { try data.labels(at: 20) }
        let targets = try Targets(allOf: data, votes: false)
        #expect(targets.votes.isEmpty && targets.labels["ring"]?.count == 20)
    }
}
