/// A contact sheet of the first galaxies, for looking at what the simulator makes.
extension SimulatedGalaxies {
    /// The RGB images of galaxies 0 ..< `count` in a grid of `columns`, row by row, with
    /// 1-pixel grey separators; 3 × H × W in [0, 1].
    public func gallery(count: Int, columns: Int) -> Image {
        let n = max(0, min(count, self.count)), cols = max(1, min(columns, max(1, n)))
        let rows = max(1, (n + cols - 1) / cols)
        let s = options.imageSize, gap = 1
        let width = cols * s + (cols - 1) * gap, height = rows * s + (rows - 1) * gap
        var sheet = Image(channels: 3, height: height, width: width,
                          pixels: [Float](repeating: 0.5, count: 3 * height * width))
        for i in 0..<n {
            let rgb = simulator.render(simulator.parameters(at: i)).rgb
            let x0 = (i % cols) * (s + gap), y0 = (i / cols) * (s + gap)
            for c in 0..<3 {
                for y in 0..<s {
                    for x in 0..<s { sheet[c, y0 + y, x0 + x] = rgb[c, y, x] }
                }
            }
        }
        return sheet
    }
}
