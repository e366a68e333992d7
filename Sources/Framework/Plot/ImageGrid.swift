/// Images laid out in a grid, each resized to a square tile with a coloured border (e.g.
/// green for a correct prediction, red for a wrong one) and a caption underneath.
public struct ImageGrid: Sendable {
    /// One image with its caption and border colour.
    public struct Tile: Sendable {
        public var image: Image
        /// Lines separated by "\n"; each is cut to the tile's width.
        public var caption: String
        /// Nil draws a neutral grey frame.
        public var border: RGBColor?

        public init(image: Image, caption: String = "", border: RGBColor? = nil) {
            self.image = image
            self.caption = caption
            self.border = border
        }
    }

    public var tiles: [Tile]
    public var columns: Int
    /// Side of each (square) image in pixels.
    public var tileSize: Int
    public var title: String
    public var interpolation: Interpolation
    /// Space between the canvas edge and the outermost tiles.
    public var margin: Int
    /// Space between neighbouring tiles.
    public var gap: Int
    /// Thickness of the coloured frame around each image.
    public var borderWidth: Int
    /// Text scale of captions.
    public var captionScale: Int
    public var style: PlotStyle

    public init(tiles: [Tile], columns: Int = 8, tileSize: Int = 96, title: String = "",
                interpolation: Interpolation = .bilinear, margin: Int = 12, gap: Int = 8, borderWidth: Int = 3,
                captionScale: Int = 1, style: PlotStyle = .standard) {
        self.tiles = tiles
        self.columns = columns
        self.tileSize = tileSize
        self.title = title
        self.interpolation = interpolation
        self.margin = margin
        self.gap = gap
        self.borderWidth = borderWidth
        self.captionScale = captionScale
        self.style = style
    }

    /// Rows of tiles.
    public var rows: Int { columns > 0 ? (tiles.count + columns - 1) / columns : 0 }
    /// Width of one tile with its frame.
    public var cellWidth: Int { tileSize + 2 * borderWidth }
    /// Height of one tile with its frame and caption lines.
    public var cellHeight: Int {
        let lines = tiles.map { $0.caption.isEmpty ? 0 : $0.caption.split(separator: "\n", omittingEmptySubsequences: false).count }.max() ?? 0
        return cellWidth + (lines > 0 ? 3 + lines * BitmapFont.lineHeight * max(1, captionScale) : 0)
    }
    private var titleHeight: Int { title.isEmpty ? 0 : BitmapFont.cellHeight * style.textScale + gap + 2 }

    /// Size of the rendered image: 2 × margin + columns × (tile + 2 × border) + the gaps
    /// between them, and likewise down, plus title and caption lines.
    public var size: (width: Int, height: Int) {
        (2 * margin + columns * cellWidth + max(0, columns - 1) * gap,
         2 * margin + titleHeight + rows * cellHeight + max(0, rows - 1) * gap)
    }

    /// The grid as a 3×height×width image.
    public func render() throws -> Image {
        guard !tiles.isEmpty else { throw PlotError.invalidData(plot: "ImageGrid", message: "no tiles to show") }
        guard (1...256).contains(columns), (4...2048).contains(tileSize), (0...64).contains(borderWidth),
              (0...256).contains(margin), (0...256).contains(gap), (1...8).contains(captionScale) else {
            throw PlotError.invalidData(plot: "ImageGrid", message: "columns \(columns), tileSize \(tileSize), borderWidth \(borderWidth), margin \(margin), gap \(gap), captionScale \(captionScale): expected columns 1…256, tileSize 4…2048, borderWidth 0…64, margin and gap 0…256, captionScale 1…8")
        }
        for (i, t) in tiles.enumerated() where t.image.channels < 1 || t.image.width < 1 || t.image.height < 1 {
            throw PlotError.invalidData(plot: "ImageGrid", message: "tile \(i) ('\(t.caption)') is an empty \(t.image.channels)×\(t.image.height)×\(t.image.width) image")
        }
        let (w, h) = size
        try PlotError.checkSize("ImageGrid", w, h, minimum: 1)
        var canvas = Canvas(width: w, height: h, background: style.background)
        if !title.isEmpty {
            let text = BitmapFont.truncated(title, toWidth: w - 2 * margin, scale: style.textScale)
            canvas.drawText(text, x: w / 2, y: margin, color: style.text, scale: style.textScale, anchor: .topCenter)
        }
        let cs = max(1, captionScale)
        for (i, tile) in tiles.enumerated() {
            let x = margin + (i % columns) * (cellWidth + gap)
            let y = margin + titleHeight + (i / columns) * (cellHeight + gap)
            let frame = PixelRect(x: x, y: y, width: cellWidth, height: cellWidth)
            if borderWidth > 0 {
                canvas.strokeRect(frame, color: tile.border ?? RGBColor(gray: 0.75), lineWidth: borderWidth)
            }
            canvas.drawImage(tile.image, in: frame.insetBy(borderWidth), interpolation: interpolation)
            let lines = tile.caption.isEmpty ? [] : tile.caption.split(separator: "\n", omittingEmptySubsequences: false)
            for (k, line) in lines.enumerated() {
                let text = BitmapFont.truncated(String(line), toWidth: cellWidth, scale: cs)
                canvas.drawText(text, x: x + cellWidth / 2, y: y + cellWidth + 3 + k * BitmapFont.lineHeight * cs,
                                color: style.text, scale: cs, anchor: .topCenter)
            }
        }
        return canvas.image
    }
}
