import TestSupport
import Foundation
import Testing
@testable import Framework

@Suite("GZ3D-style volunteer masks in the simulator")
struct VolunteerMasksTests {
    static func options(volunteers: Int) -> SimulatorOptions {
        var o = SimulatorOptions()
        o.imageSize = 48
        o.morphologies.disk = 1; o.morphologies.elliptical = 0; o.morphologies.edgeOn = 0; o.morphologies.artifact = 0
        o.features.bar = 1; o.features.spiral = 1
        o.maskVolunteers = volunteers
        return o
    }

    @Test func offByDefaultAndOtherwiseUnchanged() throws {
        #expect(SimulatorOptions().maskVolunteers == 0)
        let plain = try SimulatedGalaxies(seed: 3, count: 4, options: Self.options(volunteers: 0))
        let drawn = try SimulatedGalaxies(seed: 3, count: 4, options: Self.options(volunteers: 15))
        for i in 0..<4 {
            let a = try plain.example(at: i), b = try drawn.example(at: i)
            #expect(a.masks["bar_volunteers"] == nil && b.masks["bar_volunteers"] != nil)
            #expect(a.image == b.image && a.votes == b.votes && a.labels == b.labels)
            for name in ["bar", "spiral", "bar_fraction", "spiral_fraction"] { #expect(a.masks[name] == b.masks[name]) }
        }
    }

    @Test func fractionsOfVolunteersCoverTheSupport() throws {
        let sims = try SimulatedGalaxies(seed: 5, count: 12, options: Self.options(volunteers: 15))
        var inside = 0.0, insideN = 0, far = 0.0, farN = 0
        for i in 0..<12 {
            let e = try sims.example(at: i)
            for name in ["bar", "spiral"] {
                let support = try #require(e.masks[name]), soft = try #require(e.masks[name + "_volunteers"])
                for v in soft.pixels {
                    let k = (v * 15).rounded()
                    #expect(Swift.abs(v * 15 - k) < 1e-4 && v >= 0 && v <= 1, "a fraction of 15 volunteers: \(v)")
                }
                if support.pixels.allSatisfy({ $0 == 0 }) { #expect(soft.pixels.allSatisfy { $0 == 0 }, "nothing to draw") }
                // Pixels of the support against pixels more than 4 px from any of it.
                let w = support.width
                for p in support.pixels.indices {
                    if support.pixels[p] >= 0.5 { inside += Double(soft.pixels[p]); insideN += 1; continue }
                    let x = p % w, y = p / w
                    let near = support.pixels.indices.contains { q in support.pixels[q] >= 0.5 && Swift.abs(q % w - x) <= 4 && Swift.abs(q / w - y) <= 4 }
                    if !near { far += Double(soft.pixels[p]); farN += 1 }
                }
            }
        }
        #expect(insideN > 0 && farN > 0)
        #expect(inside / Double(insideN) > 0.3, "volunteers cover the support: mean \(inside / Double(insideN))")
        #expect(far / Double(max(farN, 1)) < 0.01, "and little far from it: mean \(far / Double(max(farN, 1)))")
    }

    @Test func aSquareIsTracedAndFilled() {
        var square = Image(channels: 1, height: 10, width: 10)
        for y in 2..<7 { for x in 3..<8 { square.pixels[y * 10 + x] = 1 } }
        let region = VolunteerMasks.regions(of: square)
        #expect(region.count == 1 && region[0].count == 25)
        let outline = VolunteerMasks.trace(region[0], width: 10, height: 10)
        #expect(outline.count == 16, "the 16 boundary pixels of a 5×5 square, once each")
        let corners = VolunteerMasks.simplify(outline, tolerance: 0.5)
        #expect(corners.count == 4, "\(corners)")
        var covered = [Bool](repeating: false, count: 100)
        VolunteerMasks.fill(corners, into: &covered, width: 10, height: 10)
        #expect((0..<100).allSatisfy { covered[$0] == (square.pixels[$0] == 1) })
    }
}
