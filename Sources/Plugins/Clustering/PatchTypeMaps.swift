import Foundation
import Framework

/// Pictures of the patch pipeline at work: a galaxy beside the same galaxy with each kept
/// patch's central stride×stride cell tinted by its patch type.
enum PatchTypeMaps {
    /// Evenly spaced hues, so up to a few dozen types stay distinguishable.
    static func colour(_ type: Int, of count: Int) -> RGBColor {
        let h = Double(type) / Double(max(count, 1)) * 6
        let x = Float(1 - abs(h.truncatingRemainder(dividingBy: 2) - 1))
        let (r, g, b): (Float, Float, Float)
        switch Int(h) % 6 {
        case 0: (r, g, b) = (1, x, 0)
        case 1: (r, g, b) = (x, 1, 0)
        case 2: (r, g, b) = (0, 1, x)
        case 3: (r, g, b) = (0, x, 1)
        case 4: (r, g, b) = (x, 0, 1)
        default: (r, g, b) = (1, 0, x)
        }
        return RGBColor(red: 0.1 + 0.85 * r, green: 0.1 + 0.85 * g, blue: 0.1 + 0.85 * b)
    }

    /// The tinted copy of `image` (scaled by `zoom`).
    static func render(_ image: Image, pipeline: PatchPipeline, zoom: Int = 3) throws -> (map: Image, types: [Int]) {
        let patches = try pipeline.features.galaxy(image)
        let types = try pipeline.patchTypes(pipeline.transform.apply(patches.features)).map(\.type)
        var canvas = Canvas(width: image.width * zoom, height: image.height * zoom, background: .black)
        canvas.drawImage(image, in: canvas.bounds)
        let step = pipeline.features.extractor.options.stride, size = patches.size
        let cell = min(step, size), inset = (size - cell) / 2
        for (corner, t) in zip(patches.corners, types) {
            canvas.fillRect(PixelRect(x: (corner.x + inset) * zoom, y: (corner.y + inset) * zoom, width: cell * zoom, height: cell * zoom),
                            color: colour(t, of: pipeline.options.patchTypes), alpha: 0.45)
        }
        return (canvas.image, types)
    }
}
