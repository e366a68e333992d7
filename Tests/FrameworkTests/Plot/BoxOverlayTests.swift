import Testing
@testable import Framework

@Suite("Box overlay")
struct BoxOverlayTests {
    @Test func outlinesBoxesAtTheImageScale() throws {
        // A mid-grey 8×8 image enlarged 4×, one red box over pixels 2..<5 in x and 1..<3 in y.
        let image = Image(channels: 3, height: 8, width: 8, pixels: [Float](repeating: 0.5, count: 3 * 64))
        let red = RGBColor(red: 1, green: 0, blue: 0)
        let out = try BoxOverlay(image: image, boxes: [.init(box: BoundingBox(x1: 2, y1: 1, x2: 5, y2: 3), color: red)], scale: 4).render()
        #expect(out.width == 32 && out.height == 32)
        func rgb(_ x: Int, _ y: Int) -> [Float] { (0..<3).map { out.pixels[$0 * 32 * 32 + y * 32 + x] } }
        #expect(rgb(8, 4) == [1, 0, 0], "top-left corner of the outline")
        #expect(rgb(19, 11) == [1, 0, 0], "bottom-right corner")
        #expect(rgb(12, 8) == [0.5, 0.5, 0.5], "the inside shows the image")
        #expect(rgb(20, 12) == [0.5, 0.5, 0.5], "just outside the box")
        #expect(throws: PlotError.self) {
            try BoxOverlay(image: image, boxes: [.init(box: BoundingBox(x1: .nan, y1: 0, x2: 1, y2: 1), color: red)]).render()
        }
    }
}
