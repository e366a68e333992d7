import TestSupport
import Foundation
import Testing
@testable import Framework

@Suite("Mask overlays")
struct MaskOverlayTests {
    @Test func blendsTowardsTheColourByTheMask() throws {
        let grey = Image(channels: 1, height: 1, width: 3, pixels: [0.5, 0.5, 0.5])
        let mask = Image(channels: 1, height: 1, width: 3, pixels: [0, 0.5, 1])
        let out = try MaskOverlay(color: RGBColor(red: 1, green: 0, blue: 0), opacity: 1).apply(to: grey, mask: mask)
        #expect(out.channels == 3)
        #expect(out.pixels == [0.5, 0.75, 1, /* green */ 0.5, 0.25, 0, /* blue */ 0.5, 0.25, 0])
    }

    @Test func rejectsAMaskOfAnotherSize() throws {
        let image = Image(channels: 3, height: 2, width: 2)
        #expect(throws: PlotError.self) { try MaskOverlay(color: .black).apply(to: image, mask: Image(channels: 1, height: 3, width: 2)) }
    }
}
