/// An image enlarged by a whole factor with boxes outlined on it, each optionally labelled
/// (a detection's score): truth and detections of a detector drawn over the galaxy.
public struct BoxOverlay: Sendable {
    /// One outlined box, in the image's pixels.
    public struct Box: Sendable {
        public var box: BoundingBox
        public var color: RGBColor
        /// Drawn above the box's top-left corner; empty for none.
        public var label: String

        public init(box: BoundingBox, color: RGBColor, label: String = "") {
            self.box = box
            self.color = color
            self.label = label
        }
    }

    public var image: Image
    public var boxes: [Box]
    /// Output pixels per image pixel.
    public var scale: Int
    public var lineWidth: Int

    public init(image: Image, boxes: [Box], scale: Int = 4, lineWidth: Int = 1) {
        self.image = image
        self.boxes = boxes
        self.scale = scale
        self.lineWidth = lineWidth
    }

    /// The enlarged image (nearest-neighbour, so pixels stay visible) with its boxes.
    public func render() throws -> Image {
        guard (1...32).contains(scale), image.width > 0, image.height > 0 else {
            throw PlotError.invalidData(plot: "BoxOverlay", message: "scale \(scale) must be in 1…32 and the image non-empty (\(image.width)×\(image.height))")
        }
        for (i, b) in boxes.enumerated() where !(b.box.x1.isFinite && b.box.y1.isFinite && b.box.x2.isFinite && b.box.y2.isFinite) {
            throw PlotError.invalidData(plot: "BoxOverlay", message: "box \(i) has non-finite corners \(b.box)")
        }
        let w = image.width * scale, h = image.height * scale
        try PlotError.checkSize("BoxOverlay", w, h, minimum: 1)
        var canvas = Canvas(width: w, height: h, background: .black)
        canvas.drawImage(image, in: canvas.bounds, interpolation: .nearest)
        let s = Float(scale)
        for b in boxes {
            // Corners are continuous pixel coordinates; the outline covers the pixels inside.
            let x0 = Int((b.box.x1 * s).rounded()), y0 = Int((b.box.y1 * s).rounded())
            let x1 = Int((b.box.x2 * s).rounded()), y1 = Int((b.box.y2 * s).rounded())
            let rect = PixelRect(x: x0, y: y0, width: max(1, x1 - x0), height: max(1, y1 - y0))
            canvas.strokeRect(rect, color: b.color, lineWidth: lineWidth)
            if !b.label.isEmpty {
                canvas.drawText(b.label, x: x0, y: max(0, y0 - 2), color: b.color, anchor: TextAnchor(.left, .bottom))
            }
        }
        return canvas.image
    }
}
