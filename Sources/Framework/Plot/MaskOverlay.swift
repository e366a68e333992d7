/// A soft mask painted over an image for display: each pixel moves towards `color` by
/// `opacity × mask`, so a probability map reads as a translucent wash and a binary mask as
/// a solid region. For galleries of segmentation truth and predictions.
public struct MaskOverlay: Sendable {
    public var color: RGBColor
    /// Blend weight where the mask is 1.
    public var opacity: Float

    public init(color: RGBColor, opacity: Float = 0.6) {
        self.color = color
        self.opacity = opacity
    }

    /// `image` (1 or 3 channels, display values in [0, 1]) as RGB with `mask` (1×H×W, values
    /// clamped to [0, 1]) painted over it.
    public func apply(to image: Image, mask: Image) throws -> Image {
        guard image.channels == 1 || image.channels == 3 else {
            throw PlotError.invalidData(plot: "mask overlay", message: "the image must have 1 or 3 channels, not \(image.channels)")
        }
        guard mask.channels == 1, mask.height == image.height, mask.width == image.width else {
            throw PlotError.invalidData(plot: "mask overlay", message: "a \(mask.channels)×\(mask.height)×\(mask.width) mask for a \(image.height)×\(image.width) image; it must be 1×\(image.height)×\(image.width)")
        }
        let plane = image.height * image.width
        var out = Image(channels: 3, height: image.height, width: image.width)
        let tint = [color.red, color.green, color.blue]
        for c in 0..<3 {
            let src = (image.channels == 1 ? 0 : c) * plane
            for i in 0..<plane {
                let m = min(max(mask.pixels[i], 0), 1) * opacity
                let v = min(max(image.pixels[src + i], 0), 1)
                out.pixels[c * plane + i] = v + (tint[c] - v) * (m.isNaN ? 0 : m)
            }
        }
        return out
    }
}
