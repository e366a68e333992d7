extension Canvas {
    /// The box a single line of text would occupy, without drawing it.
    public static func textBox(_ text: String, x: Int, y: Int, scale: Int = 1,
                               anchor: TextAnchor = .topLeft, rotated: Bool = false) -> PixelRect {
        let s = max(1, scale)
        let along = BitmapFont.inkWidth(of: text, scale: s)
        let cap = BitmapFont.capHeight * s, cell = BitmapFont.cellHeight * s
        if !rotated {
            let left: Int
            switch anchor.horizontal {
            case .left: left = x
            case .center: left = x - along / 2
            case .right: left = x - along + 1
            }
            let top: Int
            switch anchor.vertical {
            case .top: top = y
            case .middle: top = y - cap / 2
            case .baseline: top = y - cap + 1
            case .bottom: top = y - cell + 1
            }
            return PixelRect(x: left, y: top, width: along, height: cell)
        }
        // Rotated a quarter turn counter-clockwise: the text reads upwards, letter tops face left.
        let left: Int
        switch anchor.horizontal {
        case .left: left = x
        case .center: left = x - cap / 2
        case .right: left = x - cell + 1
        }
        let top: Int
        switch anchor.vertical {
        case .top: top = y
        case .middle: top = y - along / 2
        case .baseline, .bottom: top = y - along + 1
        }
        return PixelRect(x: left, y: top, width: cell, height: along)
    }

    /// Draws one line of text in the bitmap font, each font pixel a `scale`×`scale` block,
    /// and returns the box it occupies. Newlines are drawn as spaces.
    @discardableResult
    public mutating func drawText(_ text: String, x: Int, y: Int, color: RGBColor = .ink, scale: Int = 1,
                                  anchor: TextAnchor = .topLeft, rotated: Bool = false) -> PixelRect {
        let s = max(1, scale)
        let box = Canvas.textBox(text, x: x, y: y, scale: s, anchor: anchor, rotated: rotated)
        guard !box.intersection(clip).isEmpty else { return box }
        let along = rotated ? box.height : box.width
        for (k, ch) in text.enumerated() {
            let rows = BitmapFont.rows(for: ch == "\n" ? " " : ch)
            for (r, bits) in rows.enumerated() where bits != 0 {
                for c in 0..<BitmapFont.glyphWidth where bits & (1 << UInt8(BitmapFont.glyphWidth - 1 - c)) != 0 {
                    // (u, v): position of the block in unrotated text coordinates.
                    let u = (k * BitmapFont.advance + c) * s, v = r * s
                    let block: PixelRect
                    if rotated {
                        block = PixelRect(x: box.x + v, y: box.y + along - u - s, width: s, height: s)
                    } else {
                        block = PixelRect(x: box.x + u, y: box.y + v, width: s, height: s)
                    }
                    fillRect(block, color: color)
                }
            }
        }
        return box
    }
}
