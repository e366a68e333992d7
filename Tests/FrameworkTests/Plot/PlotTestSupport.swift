@testable import Framework

/// The colour of pixel (x, y) of a 3-channel image.
func colorAt(_ image: Image, _ x: Int, _ y: Int) -> RGBColor {
    RGBColor(red: image[0, y, x], green: image[1, y, x], blue: image[2, y, x])
}

/// Whether two colours agree to within `tolerance` on every channel.
func sameColor(_ a: RGBColor, _ b: RGBColor, _ tolerance: Float = 0.01) -> Bool {
    abs(a.red - b.red) <= tolerance && abs(a.green - b.green) <= tolerance && abs(a.blue - b.blue) <= tolerance
}

/// Coordinates of every pixel matching `test`.
func pixelsOf(_ image: Image, where test: (RGBColor) -> Bool) -> [(x: Int, y: Int)] {
    var out: [(x: Int, y: Int)] = []
    for y in 0..<image.height {
        for x in 0..<image.width where test(colorAt(image, x, y)) { out.append((x, y)) }
    }
    return out
}

/// Pixels of the canvas that are not white (ink).
func inkedPixelCount(_ image: Image) -> Int {
    pixelsOf( image) { $0.luminance < 0.99 }.count
}
